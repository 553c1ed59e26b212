package io.meshplay.client;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.Response;

/**
 * A child JVM for {@link BrokenResponseRetryTest}: answers every call with its response headers at once and then
 * nothing, so the test can kill it -9 after the client has the headers: the instance that dies between its
 * headers and its message. Prints {@code port <n>} when it listens.
 */
public final class HeadersThenSilentServer {

    static final Metadata.Key<String> DOOMED = Metadata.Key.of("x-test-doomed", Metadata.ASCII_STRING_MARSHALLER);

    private HeadersThenSilentServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerInterceptor headersFirst = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                Metadata response = new Metadata();
                response.put(DOOMED, "yes");
                call.sendHeaders(response);
                return next.startCall(call, headers);
            }
        };
        ExampleGrpc.ExampleImplBase silent = new ExampleGrpc.ExampleImplBase() {
            @Override
            public void call(Request request, StreamObserver<Response> reply) {
                // never answers: the test kills this process once the client has the headers
            }
        };
        var server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(silent, headersFirst)).build().start();
        System.out.println("port " + server.getPort());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed; the test's closer kills it in any case
    }
}
