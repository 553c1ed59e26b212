package io.meshplay.apps.server.badinput;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/** grpc-java calls that send whatever bytes a case needs, with the status the server answered. */
final class RawGrpc {

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private RawGrpc() {
    }

    static MethodDescriptor<byte[], byte[]> method(String fullName, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setFullMethodName(fullName).setType(type)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    static MethodDescriptor<byte[], byte[]> unary(String fullName) {
        return method(fullName, MethodDescriptor.MethodType.UNARY);
    }

    /** The status a call ended with, and how long the server took to give it. */
    record Outcome(Status status, long millis) {
        Status.Code code() {
            return status.getCode();
        }
    }

    /** Sends {@code messages} (each a whole gRPC message), half-closes, and waits for the status. */
    static Outcome call(Channel channel, MethodDescriptor<byte[], byte[]> method, CallOptions options, Metadata headers,
                        List<byte[]> messages) {
        CompletableFuture<Status> closed = start(channel, method, options, headers, messages);
        long start = System.nanoTime();
        try {
            Status status = closed.get(60, TimeUnit.SECONDS);
            return new Outcome(status, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (Exception e) {
            throw new AssertionError("no status within 60 s", e);
        }
    }

    static Outcome call(Channel channel, String fullName, byte[] request) {
        return call(channel, unary(fullName), CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), new Metadata(),
                List.of(request));
    }

    static CompletableFuture<Status> start(Channel channel, MethodDescriptor<byte[], byte[]> method, CallOptions options,
                                           Metadata headers, List<byte[]> messages) {
        CompletableFuture<Status> closed = new CompletableFuture<>();
        ClientCall<byte[], byte[]> call = channel.newCall(method, options);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, headers);
        call.request(Integer.MAX_VALUE);
        messages.forEach(call::sendMessage);
        call.halfClose();
        return closed;
    }
}
