package io.meshplay.client;

import java.util.concurrent.atomic.AtomicReference;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.meshplay.registry.InstanceMetadata;

/** Reads which server instance answered a call (the {@code meshplay-instance} response header). */
public final class ServedBy {

    public static final Metadata.Key<String> HEADER = Metadata.Key.of(InstanceMetadata.SERVED_BY_HEADER,
            Metadata.ASCII_STRING_MARSHALLER);

    private final AtomicReference<Metadata> headers = new AtomicReference<>();
    private final AtomicReference<Metadata> trailers = new AtomicReference<>();

    /** An interceptor for one stub; read {@link #instance()} after a call. */
    public ClientInterceptor interceptor() {
        return MetadataUtils.newCaptureMetadataInterceptor(headers, trailers);
    }

    public String instance() {
        Metadata h = headers.get();
        String id = h == null ? null : h.get(HEADER);
        return id == null ? "?" : id;
    }
}
