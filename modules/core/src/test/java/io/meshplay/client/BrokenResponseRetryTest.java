package io.meshplay.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.helidon.config.Config;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.Response;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.memory.MemoryRegistry;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import io.meshplay.testing.JavaProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chaos lab's kill -9 remainder: an instance killed after it sent a call's response headers and before its
 * message. grpc-java has committed the call to that attempt by then, so neither retries nor hedges follow and the
 * call failed with UNAVAILABLE. For idempotent services (hedging on) the call is now sent once more, elsewhere.
 * The instance is a real child JVM killed -9 the moment the client has its headers.
 */
class BrokenResponseRetryTest {

    private static final String SERVICE = "broken-response";

    @RegisterExtension
    final Closer closer = new Closer();

    private final String space = "broken-response-" + UUID.randomUUID();

    @Test
    void hedgedCallOutlivesAnInstanceKilledBetweenHeadersAndMessage() throws Exception {
        assertThat(callToTheDoomedInstance(Map.of("client.hedging.delay", "100ms"))).isNull();
        List<Tag> tags = List.of(Tag.create("service", SERVICE), Tag.create("method", ExampleGrpc.getCallMethod().getFullMethodName()));
        assertThat(Metrics.getCounter("meshplay.client.retries", tags).map(Counter::count).orElse(0L)).as("retries counted").isPositive();
    }

    @Test
    void withoutHedgingTheCallIsNotRepeated() throws Exception {
        // not declared idempotent: a call the instance may have executed is not sent again
        StatusRuntimeException failure = callToTheDoomedInstance(Map.of());
        assertThat(failure).isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    /** Calls until one reaches the doomed instance (killed once it has sent headers); that call's failure, or null. */
    private StatusRuntimeException callToTheDoomedInstance(Map<String, String> clientConfig) throws Exception {
        Process doomed = new ProcessBuilder(JavaProcess.small(List.of(), HeadersThenSilentServer.class.getName(), List.of()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        closer.add(doomed::destroyForcibly);
        int port = portOf(doomed);
        closer.add(MeshplayServer.builder().config(config(Map.of())).addService(new Answering()).start());
        MemoryRegistry.shared(space).register(ServiceInstance.builder().name(SERVICE).port(port).build());
        MeshplayClient client = closer.add(MeshplayClient.create(config(clientConfig)));

        AtomicBoolean killed = new AtomicBoolean();
        ClientStreamTracer.Factory killOnHeaders = new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                return new ClientStreamTracer() {
                    @Override
                    public void inboundHeaders(Metadata response) {
                        if (response.containsKey(HeadersThenSilentServer.DOOMED) && killed.compareAndSet(false, true)) {
                            doomed.destroyForcibly(); // SIGKILL: the kernel closes its connections, nothing more is sent
                        }
                    }
                };
            }
        };
        ExampleGrpc.ExampleBlockingStub stub = ExampleGrpc.newBlockingStub(client.channel(SERVICE))
                .withInterceptors(new ClientInterceptor() {
                    @Override
                    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                        return next.newCall(method, options.withStreamTracerFactory(killOnHeaders));
                    }
                });
        // round robin over two instances: the doomed one gets a call as soon as its connection is up
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int i = 0; i < 5_000 && !killed.get() && System.nanoTime() < deadline; i++) {
            try {
                Response r = stub.withDeadlineAfter(10, TimeUnit.SECONDS).call(Request.newBuilder().setName("x").build());
                assertThat(r.getMsg()).isEqualTo("answered");
            } catch (StatusRuntimeException e) {
                assertThat(killed).as("only the call to the killed instance may fail, not " + e.getStatus()).isTrue();
                return e;
            }
        }
        assertThat(killed).as("a call reached the doomed instance").isTrue();
        return null;
    }

    private static int portOf(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as("the child's first line").startsWith("port ");
        return Integer.parseInt(line.substring(5).strip());
    }

    private Config config(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(Map.of("service.name", SERVICE,
                "registry.type", "memory", "registry.memory.name", space, "broker.type", "memory", "broker.memory.name", space));
        all.putAll(extra);
        return MeshplayConfig.of(all);
    }

    private static final class Answering extends ExampleGrpc.ExampleImplBase {
        @Override
        public void call(Request request, StreamObserver<Response> reply) {
            reply.onNext(Response.newBuilder().setMsg("answered").build());
            reply.onCompleted();
        }
    }
}
