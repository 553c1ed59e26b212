package io.meshplay.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.meshplay.broker.memory.MemoryBroker;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Handles from {@code broker.type: memory} share the topics; each closes only its own subscriptions. */
class MemoryBrokerHandlesTest {

    @RegisterExtension
    final Closer closer = new Closer();

    // a name of its own, so other tests in this JVM do not share these topics
    private final String name = "handles-" + UUID.randomUUID();

    private MemoryBroker handle() {
        return (MemoryBroker) closer.add(Brokers.create(MeshplayConfig.of(Map.of("broker.memory.name", name)).get("broker")));
    }

    private static String body(Event event) {
        return new String(event.message().body());
    }

    @Test
    void closingOneHandleClosesOnlyItsSubscriptions() {
        MemoryBroker a = handle();
        MemoryBroker b = handle();
        List<String> gotA = new CopyOnWriteArrayList<>();
        List<String> gotB = new CopyOnWriteArrayList<>();
        Subscription subA = a.subscribe("to-a", e -> gotA.add(body(e)));
        Subscription subB = b.subscribe("to-b", e -> gotB.add(body(e)));

        a.close();
        assertThat(subA.active()).isFalse();
        assertThat(subB.active()).isTrue();

        b.publish("to-b", Message.of("one".getBytes()));
        b.publish("to-a", Message.of("two".getBytes()));
        await().atMost(Duration.ofSeconds(5)).until(() -> gotB.contains("one"));
        assertThat(b.depth("to-a")).as("nobody takes from to-a any more").isEqualTo(1);

        List<String> gotC = new CopyOnWriteArrayList<>();
        handle().subscribe("to-a", e -> gotC.add(body(e)));
        await().atMost(Duration.ofSeconds(5)).until(() -> gotC.contains("two"));
        assertThat(gotA).isEmpty();
    }

    @Test
    void messagesOutliveTheHandleThatPublishedThem() {
        MemoryBroker a = handle();
        a.publish("kept", Message.of(new byte[] {1}));
        a.close();
        assertThat(handle().depth("kept")).isEqualTo(1);
    }

    @Test
    void aClosedHandleSaysSoAndClosingAgainIsHarmless() {
        MemoryBroker a = handle();
        Subscription subscription = a.subscribe("t", e -> { });
        a.close();
        a.close();
        subscription.close();
        for (Runnable use : List.<Runnable>of(() -> a.publish("t", Message.of(new byte[] {1})),
                () -> a.subscribe("t", e -> { }), () -> a.depth("t"))) {
            assertThatThrownBy(use::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("memory broker").hasMessageContaining(name).hasMessageContaining("closed");
        }
        assertThat(a.type()).isEqualTo("memory");
    }

    @Test
    void retrySettingsBelongToTheHandle() {
        MemoryBroker patient = closer.add(MemoryBroker.shared(name, 3, Duration.ofMillis(1)));
        MemoryBroker impatient = closer.add(MemoryBroker.shared(name, 1, Duration.ofMillis(1)));
        List<Long> attempts = new CopyOnWriteArrayList<>();
        patient.subscribe("flaky", e -> {
            attempts.add(e.attempt());
            throw new IllegalStateException("fails");
        });
        List<Long> poisoned = new CopyOnWriteArrayList<>();
        impatient.subscribe("flaky-poison", e -> poisoned.add(e.attempt()));
        impatient.publish("flaky", Message.of(new byte[] {1}));
        await().atMost(Duration.ofSeconds(5)).until(() -> !poisoned.isEmpty());
        assertThat(attempts).containsExactly(1L, 2L, 3L);
    }
}
