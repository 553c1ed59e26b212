package io.meshplay.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshplay.broker.memory.MemoryBroker;
import io.meshplay.codec.Codecs;
import io.meshplay.codec.TypedBroker;
import io.meshplay.example.proto.Ping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MemoryBrokerTest {

    private final MemoryBroker broker = new MemoryBroker(3, Duration.ofMillis(10));

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void typedPublishSubscribeDeliversAndDecodesInBothCodecs() {
        List<Ping> got = new CopyOnWriteArrayList<>();
        List<String> types = new CopyOnWriteArrayList<>();
        new TypedBroker(broker).subscribe("pings", Ping.getDefaultInstance(), (ping, event) -> {
            got.add(ping);
            types.add(event.message().header(Message.CONTENT_TYPE));
        }, SubscribeOptions.defaults());
        new TypedBroker(broker).publish("pings", Ping.newBuilder().setStroke(7).build());
        new TypedBroker(broker, Codecs.JSON).publish("pings", Ping.newBuilder().setStroke(8).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
        assertThat(got).extracting(Ping::getStroke).containsExactlyInAnyOrder(7L, 8L);
        assertThat(types).containsExactlyInAnyOrder("application/protobuf", "application/json");
    }

    @Test
    void throwingHandlerGetsTheMessageAgain() {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        broker.subscribe("flaky", event -> {
            attempts.add(event.attempt());
            if (event.attempt() < 2) {
                throw new IllegalStateException("first try fails");
            }
        });
        broker.publish("flaky", Message.of(new byte[] {1}));
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.size() == 2);
        assertThat(attempts).containsExactly(1L, 2L);
        assertThat(broker.depth("flaky-poison")).isZero();
    }

    @Test
    void alwaysFailingAndUndecodableMessagesGoToPoisonWithReason() {
        broker.subscribe("doomed", event -> {
            throw new IllegalStateException("never works");
        });
        new TypedBroker(broker).subscribe("garbage", Ping.getDefaultInstance(), (p, e) -> {
        }, SubscribeOptions.defaults().withName("ping-handler"));
        broker.publish("doomed", Message.of(new byte[] {1}));
        broker.publish("garbage", new Message(Map.of(Message.CONTENT_TYPE, "application/json"), "{not json".getBytes()));

        Map<String, Message> poisoned = new ConcurrentHashMap<>();
        broker.subscribe("doomed-poison", e -> poisoned.put("doomed", e.message()));
        broker.subscribe("garbage-poison", e -> poisoned.put("garbage", e.message()));
        await().atMost(Duration.ofSeconds(5)).until(() -> poisoned.size() == 2);
        assertThat(poisoned.get("doomed").headers()).containsEntry(Poison.ATTEMPTS, "3")
                .containsEntry(Poison.SOURCE, "doomed");
        assertThat(poisoned.get("doomed").header(Poison.ERROR)).contains("never works");
        assertThat(poisoned.get("garbage").header(Poison.REASON)).startsWith("undecodable");
        assertThat(poisoned.get("garbage").header(Poison.HANDLER)).isEqualTo("ping-handler");
        assertThat(poisoned.get("garbage").body()).isEqualTo("{not json".getBytes());
    }

    @Test
    void publishStampsAnIdAndATimeUnlessThePublisherSetThem() {
        List<Message> got = new CopyOnWriteArrayList<>();
        broker.subscribe("stamped", e -> got.add(e.message()));
        broker.publish("stamped", Message.of(new byte[] {1}));
        broker.publish("stamped", new Message(Map.of(Message.MESSAGE_ID, "mine", Message.PUBLISHED_AT, "2026-01-01T00:00:00Z"),
                new byte[] {2}));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
        Message fresh = got.stream().filter(m -> m.body()[0] == 1).findFirst().orElseThrow();
        assertThat(fresh.header(Message.MESSAGE_ID)).isNotBlank();
        assertThat(java.time.Instant.parse(fresh.header(Message.PUBLISHED_AT))).isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(got).anySatisfy(m -> assertThat(m.headers()).containsEntry(Message.MESSAGE_ID, "mine")
                .containsEntry(Message.PUBLISHED_AT, "2026-01-01T00:00:00Z"));
    }

    @Test
    void competingConsumersHandleEachMessageOnce() {
        AtomicInteger handled = new AtomicInteger();
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        broker.subscribe("work", e -> {
            seen.merge(new String(e.message().body()), 1, Integer::sum);
            handled.incrementAndGet();
        }, SubscribeOptions.defaults().withConcurrency(4));
        broker.subscribe("work", e -> {
            seen.merge(new String(e.message().body()), 1, Integer::sum);
            handled.incrementAndGet();
        }, SubscribeOptions.defaults().withConcurrency(4));
        for (int i = 0; i < 500; i++) {
            broker.publish("work", Message.of(("m" + i).getBytes()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() >= 500);
        assertThat(seen).hasSize(500).allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
    }
}
