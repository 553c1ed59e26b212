package io.meshplay.apps.server.tracing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.meshplay.broker.Message;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.service.ExampleService;
import io.meshplay.registry.memory.MemoryRegistry;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.zipkin.ZipkinExtension;
import io.meshplay.testing.zipkin.ZipkinProcess;
import io.meshplay.testing.zipkin.ZipkinSpan;
import io.meshplay.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing in one JVM against a real Zipkin: both gRPC transports continue the caller's trace, sampling
 * {@code never} exports nothing, and a Zipkin that goes away costs calls and deliveries nothing and the log
 * one warning per outage.
 */
@ExtendWith(ZipkinExtension.class)
class TracingRuntimeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ZipkinProcess zipkin;

    @BeforeAll
    static void zipkin(ZipkinProcess started) {
        zipkin = started;
    }

    private static Config config(String service, Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(Map.of(
                "service.name", service,
                "broker.type", "memory",
                "broker.memory.retry-backoff", "50ms",
                "tracing.enabled", "true",
                "tracing.endpoint", zipkin.spansEndpoint(),
                "tracing.export-interval", "100ms"));
        all.putAll(extra);
        return MeshplayConfig.of(all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"netty", "helidon"})
    void bothTransportsContinueTheCallersTrace(String transport) {
        String service = "traced-" + transport;
        Config config = config(service, Map.of("grpc.transport", transport));
        MemoryRegistry registry = new MemoryRegistry();
        String traceId;
        try (MeshplayServer server = MeshplayServer.builder().config(config).registry(registry).addService(new ExampleService()).start();
             Tracing tracing = Tracing.open(config, service + "-client", "1.0.0", () -> "client");
             MeshplayClient client = MeshplayClient.create(registry, io.meshplay.client.ClientOptions.defaults()).tracing(tracing)) {
            Span root = tracing.tracer().spanBuilder("root").startSpan();
            traceId = root.getSpanContext().getTraceId();
            try (Scope ignored = root.makeCurrent()) {
                ExampleGrpc.newBlockingStub(client.channel(service)).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .call(Request.newBuilder().setName(transport).build());
            } finally {
                root.end();
            }
        }
        List<ZipkinSpan> spans = zipkin.awaitTrace(traceId, s -> s.stream().anyMatch(x -> "SERVER".equals(x.kind())), WAIT);
        ZipkinSpan clientSpan = spans.stream().filter(s -> "CLIENT".equals(s.kind())).findFirst().orElseThrow();
        ZipkinSpan serverSpan = spans.stream().filter(s -> "SERVER".equals(s.kind())).findFirst().orElseThrow();
        assertThat(serverSpan.serviceName()).isEqualTo(service);
        assertThat(serverSpan.parentId()).isEqualTo(clientSpan.id());
        assertThat(serverSpan.tags()).containsEntry("rpc.method", "Call").containsEntry("rpc.grpc.status_code", "0")
                .containsKey("service.instance.id");
    }

    @Test
    void samplingNeverExportsNothingWhileAlwaysExportsTheSameWork() {
        runCallsAndDeliveries("sampled-never", "never");
        runCallsAndDeliveries("sampled-always", "always");
        // the always run is the control: the never run had the same work and the same exporter
        await().atMost(WAIT).until(() -> zipkin.services().contains("sampled-always"));
        assertThat(zipkin.services()).doesNotContain("sampled-never", "sampled-never-client");
    }

    private static void runCallsAndDeliveries(String service, String sampler) {
        Config config = config(service, Map.of("tracing.sampler", sampler));
        MemoryRegistry registry = new MemoryRegistry();
        CountDownLatch delivered = new CountDownLatch(5);
        try (MeshplayServer server = MeshplayServer.builder().config(config).registry(registry).addService(new ExampleService())
                .subscribe(service + "-q", e -> delivered.countDown(), SubscribeOptions.defaults()).start();
             Tracing tracing = Tracing.open(config, service + "-client", "1.0.0", () -> "client");
             MeshplayClient client = MeshplayClient.create(registry, io.meshplay.client.ClientOptions.defaults()).tracing(tracing)) {
            for (int i = 0; i < 20; i++) {
                ExampleGrpc.newBlockingStub(client.channel(service)).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .call(Request.newBuilder().setName("n" + i).build());
            }
            for (int i = 0; i < 5; i++) {
                server.broker().publish(service + "-q", Message.of(new byte[] {1}));
            }
            assertThat(awaitLatch(delivered)).isTrue();
        }
    }

    @Test
    void zipkinDownCostsCallsNothingAndTheLogOneWarningPerOutage() throws Exception {
        List<LogRecord> lines = new CopyOnWriteArrayList<>();
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        // the levels users get: meshplay-core's logging.properties (the exporter's own loggers are off there)
        try (var defaults = TracingRuntimeTest.class.getResourceAsStream("/logging.properties")) {
            LogManager.getLogManager().readConfiguration(defaults);
        }
        // An app reads logging.properties before the exporter's logger exists, so JUL creates the configured
        // parents (level OFF) above it. Here earlier tests created that logger first, and a re-read config sets
        // levels only on loggers that exist by the configured name: create those parents as an app's start does.
        List<Logger> parents = List.of(Logger.getLogger("io.opentelemetry.exporter.zipkin"),
                Logger.getLogger("io.opentelemetry.sdk.trace.export"), Logger.getLogger("zipkin2.reporter"));
        assertThat(parents).allSatisfy(l -> assertThat(l.getLevel()).isEqualTo(Level.OFF));
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (!isLoggable(record)) {
                    return;
                }
                if (String.valueOf(record.getMessage()).startsWith("tracing:")) {
                    lines.add(record);
                }
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        String service = "zipkin-outage";
        Config config = config(service, Map.of());
        MemoryRegistry registry = new MemoryRegistry();
        AtomicInteger delivered = new AtomicInteger();
        try (MeshplayServer server = MeshplayServer.builder().config(config).registry(registry).addService(new ExampleService())
                .subscribe(service + "-q", e -> delivered.incrementAndGet(), SubscribeOptions.defaults()).start();
             MeshplayClient client = MeshplayClient.create(registry, io.meshplay.client.ClientOptions.defaults())) {
            var stub = ExampleGrpc.newBlockingStub(client.channel(service));
            zipkin.stop();
            try {
                // calls go on while batches fail, until the outage has been seen; bounded by count and time
                long deadline = System.nanoTime() + WAIT.toNanos();
                int calls = 0;
                while (lines.isEmpty() && System.nanoTime() < deadline && calls < 100_000) {
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).call(Request.newBuilder().setName("down").build());
                    server.broker().publish(service + "-q", Message.of(new byte[] {2}));
                    calls++;
                }
                int published = calls;
                await().atMost(WAIT).until(() -> delivered.get() == published);
                assertThat(lines).as("the outage is logged").hasSize(1);
                // more failed batches: still one line
                for (int i = 0; i < 50; i++) {
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).call(Request.newBuilder().setName("still down").build());
                }
            } finally {
                zipkin.restart();
            }
            // the next batch reaches the restarted Zipkin: one line says so, with how many batches failed
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                stub.withDeadlineAfter(5, TimeUnit.SECONDS).call(Request.newBuilder().setName("up").build());
                return lines.size() >= 2;
            });
            await().atMost(WAIT).until(() -> zipkin.services().contains(service));
        } finally {
            root.removeHandler(capture);
        }
        assertThat(lines).hasSize(2);
        assertThat(warnings).as("warnings during the outage (%s)", warnings.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList())
                .hasSize(1);
        assertThat(lines.get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(lines.get(0).getMessage()).contains(zipkin.spansEndpoint()).contains("calls are not affected");
        assertThat(lines.get(1).getMessage()).contains("works again after");
    }

    private static boolean awaitLatch(CountDownLatch latch) {
        try {
            return latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
