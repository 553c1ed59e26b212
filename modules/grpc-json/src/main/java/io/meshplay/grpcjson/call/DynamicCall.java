package io.meshplay.grpcjson.call;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.meshplay.grpcjson.GrpcJsonException;
import io.meshplay.client.ServedBy;

/**
 * Calls a method known only from its descriptor: requests and responses travel as bytes (a generic
 * {@link MethodDescriptor}) and are turned into {@link DynamicMessage}s here. Unary, server-, client-
 * and bidi-streaming; requests come from an iterator so stdin can feed a stream line by line.
 */
public final class DynamicCall {

    /** Requests and responses as their encoded bytes: the message types are known only at run time. */
    public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read a response", e);
            }
        }
    };

    private final Channel channel;
    private final ServedBy servedBy = new ServedBy();
    private final CallOptions options;

    /** @param timeout the deadline of the whole call; zero for none */
    public DynamicCall(Channel channel, Duration timeout) {
        this.channel = ClientInterceptors.intercept(channel, servedBy.interceptor());
        this.options = timeout.isZero() ? CallOptions.DEFAULT
                : CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** unary, server streaming, client streaming or bidi streaming. */
    public static String kind(Descriptors.MethodDescriptor method) {
        return switch (type(method)) {
            case UNARY -> "unary";
            case SERVER_STREAMING -> "server streaming";
            case CLIENT_STREAMING -> "client streaming";
            default -> "bidi streaming";
        };
    }

    /** True when the method takes a stream of requests (then they come from stdin). */
    public static boolean streamsRequests(Descriptors.MethodDescriptor method) {
        return method.isClientStreaming();
    }

    /** The instance that answered (from the {@code meshplay-instance} response header), or {@code ?}. */
    public String servedBy() {
        return servedBy.instance();
    }

    /**
     * @param requests   pulled as they are sent; exactly one is taken for unary and server-streaming methods
     * @param onResponse called for each response, in order
     * @return how many responses arrived
     */
    public long run(Descriptors.MethodDescriptor method, Iterator<DynamicMessage> requests, Consumer<DynamicMessage> onResponse) {
        MethodDescriptor<byte[], byte[]> grpc = grpcMethod(method);
        Descriptors.Descriptor output = method.getOutputType();
        long[] count = {0};
        Consumer<byte[]> handle = bytes -> {
            onResponse.accept(parse(output, bytes));
            count[0]++;
        };
        switch (grpc.getType()) {
            case UNARY -> handle.accept(ClientCalls.blockingUnaryCall(channel, grpc, options, requests.next().toByteArray()));
            case SERVER_STREAMING -> ClientCalls.blockingServerStreamingCall(channel, grpc, options, requests.next().toByteArray())
                    .forEachRemaining(handle);
            default -> streamRequests(grpc, requests, handle);
        }
        return count[0];
    }

    private void streamRequests(MethodDescriptor<byte[], byte[]> grpc, Iterator<DynamicMessage> requests, Consumer<byte[]> handle) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<byte[]> responses = new StreamObserver<>() {
            @Override
            public synchronized void onNext(byte[] value) {
                handle.accept(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        };
        StreamObserver<byte[]> out = grpc.getType() == MethodType.CLIENT_STREAMING
                ? ClientCalls.asyncClientStreamingCall(channel.newCall(grpc, options), responses)
                : ClientCalls.asyncBidiStreamingCall(channel.newCall(grpc, options), responses);
        try {
            while (requests.hasNext() && !done.isDone()) {
                out.onNext(requests.next().toByteArray());
            }
        } catch (RuntimeException e) {
            out.onError(e); // cancels the call: a bad request line ends it
            throw e;
        }
        if (!done.isDone()) {
            out.onCompleted();
        }
        try {
            done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw GrpcJsonException.failed("call failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GrpcJsonException.failed("interrupted", e);
        }
    }

    /** The method as grpc-java calls it, with bytes for requests and responses. */
    public static MethodDescriptor<byte[], byte[]> grpcMethod(Descriptors.MethodDescriptor method) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type(method))
                .setFullMethodName(MethodDescriptor.generateFullMethodName(method.getService().getFullName(), method.getName()))
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    /** A response's bytes as a message of {@code type}. */
    public static DynamicMessage parse(Descriptors.Descriptor type, byte[] bytes) {
        try {
            return DynamicMessage.parseFrom(type, bytes);
        } catch (InvalidProtocolBufferException e) {
            throw GrpcJsonException.failed("the response is not a valid " + type.getFullName() + ": " + e.getMessage(), e);
        }
    }

    public static MethodType type(Descriptors.MethodDescriptor method) {
        if (method.isClientStreaming()) {
            return method.isServerStreaming() ? MethodType.BIDI_STREAMING : MethodType.CLIENT_STREAMING;
        }
        return method.isServerStreaming() ? MethodType.SERVER_STREAMING : MethodType.UNARY;
    }
}
