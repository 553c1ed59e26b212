package io.meshplay.apps.server.badinput;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;

/** A client that compresses with "foo", an encoding no server knows (it is the identity under another name). */
final class FooCompression {

    private static final Codec FOO = new Codec() {
        @Override
        public String getMessageEncoding() {
            return "foo";
        }

        @Override
        public OutputStream compress(OutputStream os) {
            return os;
        }

        @Override
        public InputStream decompress(InputStream is) {
            return is;
        }
    };

    private FooCompression() {
    }

    static RawGrpc.Outcome call(int port, String method, byte[] request) {
        CompressorRegistry compressors = CompressorRegistry.newEmptyInstance();
        compressors.register(FOO);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .compressorRegistry(compressors).build();
        try {
            return RawGrpc.call(channel, RawGrpc.unary(method),
                    CallOptions.DEFAULT.withCompression("foo").withDeadlineAfter(30, TimeUnit.SECONDS), new Metadata(),
                    List.of(request));
        } finally {
            channel.shutdownNow();
        }
    }
}
