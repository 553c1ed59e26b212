package io.meshplay.apps.server.interop;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Ping;
import io.meshplay.example.proto.Pong;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.Response;
import io.meshplay.example.proto.StreamingRequest;
import io.meshplay.example.proto.StreamingResponse;

/**
 * The same cases as the Python and Node programs, with a plain grpc-java {@link ManagedChannel} (Netty)
 * to the address from Consul: no meshplay client code, so it stands for any grpc-java user.
 */
final class JavaClient implements Session.Client {

    private static final Metadata.Key<String> INSTANCE = Metadata.Key.of("meshplay-instance", Metadata.ASCII_STRING_MARSHALLER);
    private static final Gson GSON = new Gson();

    @Override
    public String name() {
        return "java";
    }

    @Override
    public Session start(String kase, ConsulView.Target target) {
        return new JavaSession(kase, target);
    }

    private static final class JavaSession implements Session {
        private final String kase;
        private final ManagedChannel channel;
        private final BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
        private final CountDownLatch go = new CountDownLatch(1);
        private final Thread thread;

        JavaSession(String kase, ConsulView.Target target) {
            this.kase = kase;
            this.channel = ManagedChannelBuilder.forAddress(target.host(), target.port()).usePlaintext().build();
            this.thread = Thread.ofPlatform().daemon().name("interop-java-" + kase).start(this::run);
        }

        private void run() {
            long started = System.nanoTime();
            JsonObject result;
            try {
                result = line("result", runCase());
                result.addProperty("ok", true);
            } catch (StatusRuntimeException e) {
                result = line("result", new TreeMap<>());
                result.addProperty("ok", false);
                result.addProperty("code", e.getStatus().getCode().name());
                result.addProperty("details", e.getStatus().getDescription());
            } catch (AssertionError | Exception e) {
                result = line("result", new TreeMap<>());
                result.addProperty("ok", false);
                result.addProperty("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            result.addProperty("ms", (System.nanoTime() - started) / 1_000_000);
            lines.add(result);
        }

        private JsonObject line(String type, java.util.Map<String, ?> fields) {
            JsonObject o = GSON.toJsonTree(fields).getAsJsonObject();
            o.addProperty("type", type);
            o.addProperty("client", "java");
            o.addProperty("case", kase);
            return o;
        }

        private void event(String event, long received) {
            lines.add(line("event", java.util.Map.of("event", event, "received", received, "at", System.currentTimeMillis())));
        }

        private java.util.Map<String, Object> runCase() throws Exception {
            return switch (kase) {
                case "unary" -> unary(new Metadata(), "interop-java");
                case "metadata" -> {
                    Metadata sent = new Metadata();
                    sent.put(Metadata.Key.of("x-meshplay-interop", Metadata.ASCII_STRING_MARSHALLER), "java");
                    sent.put(Metadata.Key.of("x-meshplay-trace-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
                    yield unary(sent, "md");
                }
                case "stream-100k" -> stream(100_000, 0, 60);
                case "stream-1m-slow-reader" -> stream(1_000_000, 100_000, 180);
                case "cancel" -> cancel();
                case "pingpong" -> pingPong(1000);
                case "deadline" -> deadline();
                case "unimplemented" -> unimplemented();
                case "health-check" -> healthCheck();
                case "health-watch" -> healthWatch();
                case "reflection-v1alpha" -> Reflection.v1alpha(channel);
                case "reflection-v1" -> Reflection.v1(channel);
                default -> throw new IllegalArgumentException("unknown case " + kase);
            };
        }

        private java.util.Map<String, Object> unary(Metadata sent, String name) {
            AtomicReference<Metadata> headers = new AtomicReference<>();
            AtomicReference<Metadata> trailers = new AtomicReference<>();
            Response reply = ExampleGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent),
                            MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .call(Request.newBuilder().setName(name).build());
            check(reply.getMsg().equals("Hello " + name), "reply " + reply.getMsg());
            return java.util.Map.of("msg", reply.getMsg(), "instance", String.valueOf(headers.get().get(INSTANCE)),
                    "headers", List.copyOf(new java.util.TreeSet<>(headers.get().keys())));
        }

        private java.util.Map<String, Object> stream(long count, long pauseEvery, int timeoutS) throws InterruptedException {
            AtomicReference<Metadata> headers = new AtomicReference<>();
            AtomicReference<Metadata> trailers = new AtomicReference<>();
            Iterator<StreamingResponse> responses = ExampleGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                    .withDeadlineAfter(timeoutS, TimeUnit.SECONDS)
                    .stream(StreamingRequest.newBuilder().setCount(count).build());
            long received = 0;
            while (responses.hasNext()) {
                long c = responses.next().getCount();
                check(c == received, "response " + received + " carried count " + c);
                received++;
                if (pauseEvery > 0 && received % pauseEvery == 0 && received < count) {
                    event("pause", received);
                    Thread.sleep(2000); // the slow reader under test, not synchronisation
                    event("resume", received);
                }
            }
            check(received == count, "received " + received + " of " + count);
            return java.util.Map.of("received", received, "instance", String.valueOf(headers.get().get(INSTANCE)));
        }

        private java.util.Map<String, Object> cancel() throws InterruptedException {
            Context.CancellableContext context = Context.current().withCancellation();
            long received = 0;
            Context previous = context.attach();
            try {
                Iterator<StreamingResponse> responses = ExampleGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(120, TimeUnit.SECONDS)
                        .stream(StreamingRequest.newBuilder().setCount(100_000_000).build());
                while (received < 10_000 && responses.hasNext()) {
                    responses.next();
                    received++;
                }
                context.cancel(null);
                event("cancelled", received);
                try {
                    while (responses.hasNext()) {
                        responses.next();
                    }
                    throw new AssertionError("the stream went on after cancel");
                } catch (StatusRuntimeException e) {
                    check(e.getStatus().getCode() == Status.Code.CANCELLED, "after cancel: " + e.getStatus());
                }
            } finally {
                context.detach(previous);
            }
            // the connection stays open until the test has seen the server stop, so the cancel is what it reacts to
            check(go.await(30, TimeUnit.SECONDS), "no go-ahead from the test within 30 s");
            unary(new Metadata(), "after-cancel");
            return java.util.Map.of("received", received);
        }

        private java.util.Map<String, Object> pingPong(int strokes) throws Exception {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            AtomicReference<StreamObserver<Ping>> pings = new AtomicReference<>();
            pings.set(ExampleGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).pingPong(new StreamObserver<>() {
                private int got;

                @Override
                public void onNext(Pong pong) {
                    if (pong.getStroke() != got) {
                        done.completeExceptionally(new AssertionError("pong " + pong.getStroke() + " for ping " + got));
                        return;
                    }
                    got++;
                    if (got < strokes) {
                        pings.get().onNext(Ping.newBuilder().setStroke(got).build());
                    } else {
                        pings.get().onCompleted();
                    }
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    done.complete(got);
                }
            }));
            pings.get().onNext(Ping.newBuilder().setStroke(0).build());
            int got = unwrap(done, 70);
            check(got == strokes, got + " pongs of " + strokes);
            return java.util.Map.of("strokes", got);
        }

        private java.util.Map<String, Object> deadline() {
            long t0 = System.nanoTime();
            long received = 0;
            try {
                Iterator<StreamingResponse> responses = ExampleGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                        .stream(StreamingRequest.newBuilder().setCount(100_000_000).build());
                while (responses.hasNext()) {
                    responses.next();
                    received++;
                }
                throw new AssertionError("a 100M stream finished within 0.5 s");
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                    throw e;
                }
            }
            return java.util.Map.of("code", "DEADLINE_EXCEEDED", "received", received, "after_ms", (System.nanoTime() - t0) / 1_000_000);
        }

        private java.util.Map<String, Object> unimplemented() {
            java.util.Map<String, Object> codes = new TreeMap<>();
            for (String method : List.of("Example/NoSuchMethod", "meshplay.NoSuchService/Call")) {
                MethodDescriptor<Request, Response> missing = MethodDescriptor.<Request, Response>newBuilder()
                        .setType(MethodDescriptor.MethodType.UNARY)
                        .setFullMethodName(method)
                        .setRequestMarshaller(ProtoUtils.marshaller(Request.getDefaultInstance()))
                        .setResponseMarshaller(ProtoUtils.marshaller(Response.getDefaultInstance()))
                        .build();
                try {
                    ClientCalls.blockingUnaryCall(channel, missing, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                            Request.newBuilder().setName("x").build());
                    throw new AssertionError(method + " answered");
                } catch (StatusRuntimeException e) {
                    codes.put("/" + method, e.getStatus().getCode().name());
                    if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                        throw e;
                    }
                }
            }
            return java.util.Map.of("codes", codes);
        }

        private java.util.Map<String, Object> healthCheck() {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            java.util.Map<String, Object> statuses = new TreeMap<>();
            for (String service : List.of("", "Example")) {
                ServingStatus status = health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
                statuses.put(service, status.name());
                check(status == ServingStatus.SERVING, "'" + service + "' is " + status);
            }
            try {
                health.check(HealthCheckRequest.newBuilder().setService("no.such.Service").build());
                throw new AssertionError("an unknown service has a health status");
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
            }
            return java.util.Map.of("statuses", statuses);
        }

        private java.util.Map<String, Object> healthWatch() {
            Context.CancellableContext context = Context.current().withCancellation();
            Context previous = context.attach();
            try {
                Iterator<HealthCheckResponse> updates = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .watch(HealthCheckRequest.newBuilder().setService("Example").build());
                check(updates.hasNext(), "Watch ended without an update");
                ServingStatus first = updates.next().getStatus();
                check(first == ServingStatus.SERVING, "first update " + first);
                return java.util.Map.of("first", first.name());
            } finally {
                context.cancel(null);
                context.detach(previous);
            }
        }

        @Override
        public JsonObject next(Duration timeout) {
            try {
                JsonObject line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    throw new IllegalStateException("java case " + kase + " gave no line within " + timeout);
                }
                return line;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        @Override
        public void proceed() {
            go.countDown();
        }

        @Override
        public void close() {
            channel.shutdownNow();
            thread.interrupt();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    static <T> T unwrap(CompletableFuture<T> future, int seconds) throws Exception {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e.getCause();
        }
    }
}
