package io.meshplay.apps.server.tracing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.helidon.config.Config;
import io.meshplay.apps.server.mesh.ServerProcess;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import io.meshplay.testing.browser.Browser;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import io.meshplay.testing.zipkin.ZipkinExtension;
import io.meshplay.testing.zipkin.ZipkinProcess;
import io.meshplay.testing.zipkin.ZipkinSpan;
import io.meshplay.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One request's path as Zipkin shows it: a client process calls {@code example} (server JVM A), which
 * publishes to an Azure queue (Azurite) consumed by {@code greeter} (server JVM B); real Consul, Azurite
 * and Zipkin. The trace holds spans from the three processes, and their parent ids form the path.
 */
@ExtendWith({ConsulExtension.class, AzuriteExtension.class, ZipkinExtension.class})
class TraceAcrossQueueTest {

    private static ZipkinProcess zipkin;

    @BeforeAll
    static void zipkin(ZipkinProcess started) {
        zipkin = started;
    }

    @Test
    void oneTraceFromTheClientThroughTheServerAndTheQueueToAnotherServer(ConsulAgent consul, Azurite azurite) throws Exception {
        String queue = "trace-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> mesh = new HashMap<>(Map.of(
                "registry.type", "consul",
                "registry.consul.address", consul.httpAddress(),
                "registry.consul.check.interval", "1s",
                "broker.type", "azqueue",
                "broker.azqueue.endpoint", azurite.endpoint(),
                "broker.azqueue.max-polling-interval", "200ms",
                "tracing.enabled", "true",
                "tracing.endpoint", zipkin.spansEndpoint(),
                "tracing.export-interval", "100ms"));
        Map<String, String> example = new HashMap<>(mesh);
        example.put("publisher.topic", queue);
        example.put("subscriber.topic", queue + "-unused");
        Map<String, String> greeter = new HashMap<>(mesh);
        greeter.put("service.name", "greeter");
        greeter.put("subscriber.topic", queue);

        String traceId;
        try (ServerProcess a = ServerProcess.launch(example); ServerProcess b = ServerProcess.launch(greeter)) {
            a.awaitReady();
            b.awaitReady();
            Config clientConfig = MeshplayConfig.of(mesh);
            try (Tracing tracing = Tracing.open(clientConfig, "trace-client", "1.0.0", () -> "trace-client-test");
                 MeshplayClient client = MeshplayClient.create(clientConfig, "trace-client").tracing(tracing)) {
                Span root = tracing.tracer().spanBuilder("trace-test").startSpan();
                traceId = root.getSpanContext().getTraceId();
                try (Scope ignored = root.makeCurrent()) {
                    var reply = ExampleGrpc.newBlockingStub(client.channel("example")).withDeadlineAfter(20, TimeUnit.SECONDS)
                            .call(Request.newBuilder().setName("trace").build());
                    assertThat(reply.getMsg()).isEqualTo("Hello trace");
                } finally {
                    root.end();
                }
            }
            List<ZipkinSpan> spans = zipkin.awaitTrace(traceId,
                    s -> s.stream().anyMatch(span -> "greeter".equals(span.serviceName()) && "CONSUMER".equals(span.kind())),
                    Duration.ofSeconds(30));

            ZipkinSpan client = only(spans, "trace-client", "CLIENT");
            ZipkinSpan server = only(spans, "example", "SERVER");
            ZipkinSpan send = only(spans, "example", "PRODUCER");
            ZipkinSpan process = only(spans, "greeter", "CONSUMER");
            assertThat(client.name()).isEqualTo("example/call");
            assertThat(server.parentId()).as("server span's parent").isEqualTo(client.id());
            assertThat(send.parentId()).as("send span's parent").isEqualTo(server.id());
            assertThat(process.parentId()).as("the consumer is a child of the send span").isEqualTo(send.id());
            assertThat(send.name()).isEqualTo("send " + queue);
            assertThat(process.name()).isEqualTo("process " + queue);
            // OpenTelemetry's RPC and messaging conventions
            assertThat(server.tags()).containsEntry("rpc.system", "grpc").containsEntry("rpc.service", "Example")
                    .containsEntry("rpc.method", "Call");
            assertThat(process.tags()).containsEntry("messaging.system", "azqueue").containsEntry("messaging.destination.name", queue)
                    .containsEntry("messaging.operation.type", "process").containsEntry("meshplay.delivery.attempt", "1")
                    .containsEntry("meshplay.delivery.outcome", "acknowledged")
                    .containsEntry("messaging.message.id", send.tags().get("messaging.message.id"));
            Set<String> processes = spans.stream().map(s -> s.tags().get("service.instance.id")).collect(Collectors.toSet());
            assertThat(processes).as("one instance id per process").hasSize(3).doesNotContainNull();
            assertThat(spans.stream().map(ZipkinSpan::serviceName).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("trace-client", "example", "greeter");

            // what a person sees: Zipkin's UI, in a real browser, draws the trace with the three services
            Browser.PageText page = Browser.open(zipkin.url() + "/zipkin/traces/" + traceId,
                    List.of("trace-client", "example", "greeter", "send " + queue, "process " + queue), Duration.ofSeconds(60),
                    Path.of("target", "mesh-logs", "zipkin-trace-" + traceId + ".png"));
            assertThat(page.text()).contains(traceId);

            // the consumer's log line carries the ids of the span it was written in
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(b.log()).stream()
                    .anyMatch(l -> l.contains("received on " + queue) && l.contains("trace_id=" + traceId)
                            && l.contains("span_id=" + process.id())));
        }
    }

    private static ZipkinSpan only(List<ZipkinSpan> spans, String service, String kind) {
        List<ZipkinSpan> found = spans.stream().filter(s -> service.equals(s.serviceName()) && kind.equals(s.kind())).toList();
        assertThat(found).as(kind + " spans of " + service + " in " + spans).hasSize(1);
        return found.getFirst();
    }
}
