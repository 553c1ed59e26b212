package io.meshplay.apps.server.tracing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.config.Config;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.Message;
import io.meshplay.broker.PoisonMessageException;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import io.meshplay.testing.zipkin.ZipkinExtension;
import io.meshplay.testing.zipkin.ZipkinProcess;
import io.meshplay.testing.zipkin.ZipkinSpan;
import io.meshplay.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every delivery attempt of a message is a span in the publisher's trace, on both brokers (memory and
 * azqueue on Azurite), exported to a real Zipkin: attempt number, the pause before a redelivery, what the
 * attempt led to, and a poisoned message's reason.
 */
@ExtendWith({AzuriteExtension.class, ZipkinExtension.class})
class DeliveryTraceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ZipkinProcess zipkin;

    @BeforeAll
    static void zipkin(ZipkinProcess started) {
        zipkin = started;
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "azqueue"})
    void aMessageThatFailsTwiceAndThenSucceedsShowsThreeAttemptsInOneTrace(String type, Azurite azurite) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch handled = new CountDownLatch(1);
        String traceId = publishAndHandle(type, azurite, Map.of(), event -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet (attempt " + event.attempt() + ")");
            }
            handled.countDown();
        }, handled);

        List<ZipkinSpan> spans = zipkin.awaitTrace(traceId, s -> consumers(s).size() == 3, WAIT);
        ZipkinSpan send = spans.stream().filter(s -> "PRODUCER".equals(s.kind())).findFirst().orElseThrow();
        List<ZipkinSpan> deliveries = consumers(spans);
        assertThat(deliveries).allSatisfy(d -> assertThat(d.parentId()).as("every attempt is a child of the send").isEqualTo(send.id()));
        assertThat(deliveries).extracting(d -> d.tags().get("meshplay.delivery.attempt")).containsExactly("1", "2", "3");
        assertThat(deliveries).extracting(d -> d.tags().get("meshplay.delivery.outcome"))
                .containsExactly("redelivered", "redelivered", "acknowledged");
        assertThat(deliveries.get(0).tags()).doesNotContainKey("meshplay.delivery.redelivery_delay_ms")
                .containsKey("meshplay.delivery.next_attempt_in_ms").containsKey("error");
        assertThat(deliveries.get(1).tags()).containsKey("meshplay.delivery.redelivery_delay_ms");
        assertThat(deliveries.get(2).tags()).containsKey("meshplay.delivery.redelivery_delay_ms").doesNotContainKey("error");
        assertThat(deliveries.get(0).annotations()).as("the handler's exception is recorded").anyMatch(a -> a.contains("exception"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "azqueue"})
    void aPoisonedMessageSpanCarriesTheReason(String type, Azurite azurite) throws Exception {
        CountDownLatch refused = new CountDownLatch(1);
        String traceId = publishAndHandle(type, azurite, Map.of(), event -> {
            refused.countDown();
            throw new PoisonMessageException("order 42 has no customer");
        }, refused);

        List<ZipkinSpan> spans = zipkin.awaitTrace(traceId, s -> consumers(s).size() == 1, WAIT);
        ZipkinSpan delivery = consumers(spans).getFirst();
        assertThat(delivery.tags()).containsEntry("meshplay.delivery.outcome", "poisoned")
                .containsEntry("meshplay.poison.reason", "handler rejected the message: order 42 has no customer")
                .containsEntry("error", "poisoned: handler rejected the message: order 42 has no customer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "azqueue"})
    void theLastAllowedAttemptIsPoisonedWithTheReason(String type, Azurite azurite) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch exhausted = new CountDownLatch(1);
        String traceId = publishAndHandle(type, azurite, Map.of("max-attempts", "2"), event -> {
            if (attempts.incrementAndGet() == 2) {
                exhausted.countDown();
            }
            throw new IllegalStateException("always fails");
        }, exhausted);

        List<ZipkinSpan> spans = zipkin.awaitTrace(traceId, s -> consumers(s).size() == 2, WAIT);
        assertThat(consumers(spans)).extracting(d -> d.tags().get("meshplay.delivery.outcome")).containsExactly("redelivered", "poisoned");
        assertThat(consumers(spans).get(1).tags()).containsEntry("meshplay.poison.reason", "handler failed 2 times (max-attempts 2)");
    }

    /** Publishes one message inside a root span and subscribes {@code handler} until {@code done}; returns the trace id. */
    private static String publishAndHandle(String type, Azurite azurite, Map<String, String> brokerKeys,
                                           io.meshplay.broker.Handler handler, CountDownLatch done) throws Exception {
        String topic = "attempts-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new HashMap<>(Map.of(
                "broker.type", type,
                "tracing.enabled", "true",
                "tracing.endpoint", zipkin.spansEndpoint(),
                "tracing.export-interval", "100ms"));
        String node = "broker." + type + ".";
        settings.put(node + "retry-backoff", type.equals("memory") ? "50ms" : "1s");
        if (type.equals("azqueue")) {
            settings.put(node + "endpoint", azurite.endpoint());
            settings.put(node + "max-polling-interval", "200ms");
        }
        brokerKeys.forEach((k, v) -> settings.put(node + k, v));
        Config config = MeshplayConfig.of(settings);
        String traceId;
        try (Tracing tracing = Tracing.open(config, "delivery-" + type, "1.0.0", () -> "delivery-test");
             Broker broker = tracing.broker(Brokers.create(config.get("broker")))) {
            try (Subscription ignored = broker.subscribe(topic, handler, SubscribeOptions.defaults().withConcurrency(1))) {
                Span root = tracing.tracer().spanBuilder("publish-test").startSpan();
                traceId = root.getSpanContext().getTraceId();
                try (Scope s = root.makeCurrent()) {
                    broker.publish(topic, Message.of("hello".getBytes(StandardCharsets.UTF_8)));
                } finally {
                    root.end();
                }
                assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the handler saw the attempts").isTrue();
            }
        }
        return traceId;
    }

    private static List<ZipkinSpan> consumers(List<ZipkinSpan> spans) {
        return spans.stream().filter(s -> "CONSUMER".equals(s.kind()))
                .sorted(java.util.Comparator.comparing(s -> Integer.parseInt(s.tags().getOrDefault("meshplay.delivery.attempt", "0"))))
                .toList();
    }
}
