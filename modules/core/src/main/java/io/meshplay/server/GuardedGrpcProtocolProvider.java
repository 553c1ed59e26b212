package io.meshplay.server;

import java.util.Locale;

import io.grpc.DecompressorRegistry;
import io.grpc.Status;
import io.helidon.common.Weight;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.http2.Http2Headers;
import io.helidon.http.http2.Http2Settings;
import io.helidon.http.http2.Http2StreamState;
import io.helidon.http.http2.Http2StreamWriter;
import io.helidon.http.http2.StreamFlowControl;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.Router;
import io.helidon.webserver.grpc.GrpcConfig;
import io.helidon.webserver.grpc.GrpcProtocolSelector;
import io.helidon.webserver.http2.spi.Http2SubProtocolProvider;
import io.helidon.webserver.http2.spi.Http2SubProtocolSelector;
import io.helidon.webserver.http2.spi.SubProtocolResult;

/**
 * Helidon's gRPC sub-protocol with {@link GuardedGrpcHandler} in front of every call to a served method, so
 * that a bad request gets a status at once (see there). Found by Helidon's HTTP/2 through
 * {@link java.util.ServiceLoader}; its weight puts it before Helidon's own gRPC provider, which reads the
 * same {@code grpc} protocol config and so never sees a gRPC stream. The size limit is Helidon's own
 * {@code max-read-buffer-size}, which the helidon transport sets from {@code grpc.max-inbound-message-size};
 * any Helidon server with meshplay-core on its class path gets the same answers.
 */
@Weight(200)
public final class GuardedGrpcProtocolProvider implements Http2SubProtocolProvider<GrpcConfig> {

    private static final HeaderName GRPC_ENCODING = HeaderNames.create("grpc-encoding");
    private static final HeaderName GRPC_ACCEPT_ENCODING = HeaderNames.create("grpc-accept-encoding");

    /** For {@link java.util.ServiceLoader}. */
    public GuardedGrpcProtocolProvider() {
    }

    @Override
    public String protocolType() {
        return "grpc";
    }

    @Override
    public Class<GrpcConfig> protocolConfigType() {
        return GrpcConfig.class;
    }

    @Override
    public Http2SubProtocolSelector create(GrpcConfig config, ProtocolConfigs configs) {
        TransportLogGuard.helidon();
        return new Selector(GrpcProtocolSelector.create(config), config);
    }

    private record Selector(GrpcProtocolSelector helidon, GrpcConfig config) implements Http2SubProtocolSelector {
        @Override
        public SubProtocolResult subProtocol(ConnectionContext ctx, HttpPrologue prologue, Http2Headers headers,
                                             Http2StreamWriter streamWriter, int streamId, Http2Settings serverSettings,
                                             Http2Settings clientSettings, StreamFlowControl flowControl,
                                             Http2StreamState currentStreamState, Router router) {
            GuardedStreamWriter writer = new GuardedStreamWriter(streamWriter);
            SubProtocolResult result = helidon.subProtocol(ctx, prologue, headers, writer, streamId, serverSettings,
                    clientSettings, flowControl, currentStreamState, router);
            // not gRPC, or a method nobody serves (Helidon answers that in init, and it has no messages to check)
            if (!result.supported() || result.subProtocol().getClass().getSimpleName().endsWith("NotFound")) {
                return result;
            }
            Headers http = headers.httpHeaders();
            String encoding = http.first(GRPC_ENCODING).orElse(null);
            String method = prologue.uriPath().path().substring(1);
            return new SubProtocolResult(true, new GuardedGrpcHandler(result.subProtocol(), writer, streamId, flowControl,
                    method, config.maxReadBufferSize(), canDecompress(encoding, http), unsupported(encoding)));
        }

        /**
         * UNIMPLEMENTED for a {@code grpc-encoding} the server will not decompress, as the gRPC spec says and
         * grpc-java's server answers. Helidon checks it only with {@code enable-compression} on; off (our
         * default), it takes the call and then fails on the first compressed message without a status.
         */
        private Status unsupported(String encoding) {
            if (encoding == null || encoding.equalsIgnoreCase("identity")) {
                return null;
            }
            if (config.enableCompression() && DecompressorRegistry.getDefaultInstance().lookupDecompressor(encoding) != null) {
                return null;
            }
            return Status.UNIMPLEMENTED.withDescription(NettyRejections.NO_DECOMPRESSOR + " for " + encoding.toLowerCase(Locale.ROOT));
        }

        /** Whether Helidon's handler will have a decompressor for a message flagged compressed (its own rule). */
        private boolean canDecompress(String encoding, Headers http) {
            if (!config.enableCompression()) {
                return false;
            }
            if (encoding != null) {
                return !encoding.equalsIgnoreCase("identity");
            }
            return http.first(GRPC_ACCEPT_ENCODING).stream()
                    .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                    .anyMatch(e -> DecompressorRegistry.getDefaultInstance().lookupDecompressor(e.trim()) != null
                            && !e.trim().equalsIgnoreCase("identity"));
        }
    }
}
