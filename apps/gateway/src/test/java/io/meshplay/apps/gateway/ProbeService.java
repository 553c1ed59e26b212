package io.meshplay.apps.gateway;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.meshplay.apps.gateway.probe.Echo;
import io.meshplay.apps.gateway.probe.FailRequest;
import io.meshplay.apps.gateway.probe.HeaderRequest;
import io.meshplay.apps.gateway.probe.Item;
import io.meshplay.apps.gateway.probe.Number;
import io.meshplay.apps.gateway.probe.ProbeGrpc;
import io.meshplay.apps.gateway.probe.Tick;
import io.meshplay.apps.gateway.probe.TickRequest;
import io.meshplay.apps.gateway.probe.Total;

/** The tests' service: chosen failures, a client stream, an endless stream that records its cancel, metadata echoed. */
final class ProbeService extends ProbeGrpc.ProbeImplBase {

    private static final Context.Key<Metadata> HEADERS = Context.key("probe-headers");

    final AtomicInteger ticksStarted = new AtomicInteger();
    final AtomicInteger ticksCancelled = new AtomicInteger();

    /** The service with the request metadata put where {@link #headers} reads it. */
    ServerServiceDefinition definition() {
        return ServerInterceptors.intercept(bindService(), new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                return io.grpc.Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
            }
        });
    }

    @Override
    public void fail(FailRequest request, StreamObserver<Echo> responses) {
        if (request.getCode() == 0) {
            responses.onNext(Echo.newBuilder().setText(request.getMessage()).build());
            responses.onCompleted();
            return;
        }
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder().setCode(request.getCode()).setMessage(request.getMessage())
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("PROBE").setDomain("probe.test")
                        .putAllMetadata(Map.of("asked", String.valueOf(request.getCode()))).build()))
                .build();
        responses.onError(StatusProto.toStatusRuntimeException(status));
    }

    @Override
    public StreamObserver<Number> sum(StreamObserver<Total> responses) {
        return new StreamObserver<>() {
            private long sum;
            private long count;

            @Override
            public void onNext(Number value) {
                sum += value.getValue();
                count++;
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                responses.onNext(Total.newBuilder().setSum(sum).setCount(count).build());
                responses.onCompleted();
            }
        };
    }

    @Override
    public void ticks(TickRequest request, StreamObserver<Tick> responses) {
        ServerCallStreamObserver<Tick> out = (ServerCallStreamObserver<Tick>) responses;
        ticksStarted.incrementAndGet();
        Thread sender = Thread.ofVirtual().name("probe-ticks").unstarted(() -> {
            // bounded by the cancel: the only way this stream ends
            for (long n = 1; !out.isCancelled(); n++) {
                try {
                    Thread.sleep(Math.max(1, request.getIntervalMillis())); // the interval is the behaviour, not a wait
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (out) {
                    if (!out.isCancelled()) {
                        out.onNext(Tick.newBuilder().setN(n).build());
                    }
                }
            }
        });
        out.setOnCancelHandler(() -> {
            ticksCancelled.incrementAndGet();
            sender.interrupt();
        });
        sender.start();
    }

    @Override
    public void headers(HeaderRequest request, StreamObserver<Echo> responses) {
        Metadata headers = HEADERS.get();
        Echo.Builder echo = Echo.newBuilder();
        for (String name : request.getNamesList()) {
            String value = headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
            if (value != null) {
                echo.putValues(name, value);
            }
        }
        responses.onNext(echo.build());
        responses.onCompleted();
    }

    @Override
    public void get(Item request, StreamObserver<Item> responses) {
        responses.onNext(request.toBuilder().setLabel("got " + request.getId()).build());
        responses.onCompleted();
    }
}
