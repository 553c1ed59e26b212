package io.meshplay.broker.azqueue;

import static io.meshplay.broker.azqueue.TestBrokers.broker;
import static io.meshplay.broker.azqueue.TestBrokers.queue;
import static io.meshplay.broker.azqueue.TestBrokers.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.google.protobuf.StringValue;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.meshplay.broker.Event;
import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.broker.PoisonMessageException;
import io.meshplay.broker.PublishOptions;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.codec.Codecs;
import io.meshplay.codec.TypedBroker;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Publish, subscribe, envelope and poison rules against a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class AzureQueueBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private AzureQueueBroker open(Azurite azurite, String... overrides) {
        AzureQueueBroker broker = broker(azurite, overrides);
        toClose.add(broker);
        return broker;
    }

    @Test
    void roundTripKeepsHeadersAndBody(Azurite azurite) {
        AzureQueueBroker broker = open(azurite);
        String q = queue("roundtrip");
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        broker.subscribe(q, events::add, SubscribeOptions.defaults().withName("roundtrip-handler"));

        byte[] body = {0, 1, 2, (byte) 0xff, '{', '"'};
        broker.publish(q, new Message(Map.of(Message.CONTENT_TYPE, "application/octet-stream",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "x-tenant", "a\"b\nc"), body));

        Event event = await().atMost(WAIT).until(events::poll, e -> e != null);
        assertThat(event.topic()).isEqualTo(q);
        assertThat(event.attempt()).isEqualTo(1);
        assertThat(event.message().body()).isEqualTo(body);
        assertThat(event.message().headers())
                .containsEntry(Message.CONTENT_TYPE, "application/octet-stream")
                .containsEntry("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .containsEntry("x-tenant", "a\"b\nc")
                .containsKeys(Message.MESSAGE_ID, Message.PUBLISHED_AT);
        assertThat(Instant.parse(event.message().header(Message.PUBLISHED_AT))).isBefore(Instant.now().plusSeconds(1));
        await().atMost(WAIT).until(() -> BrokerMetrics.of(q).acked.count() == 1);
        assertThat(TestBrokers.drainVisible(raw(azurite, q))).as("acknowledged message is deleted").isEmpty();
    }

    @Test
    void typedRoundTripThroughTheCodec(Azurite azurite) {
        TypedBroker typed = new TypedBroker(open(azurite), Codecs.JSON);
        String q = queue("typed");
        BlockingQueue<String> values = new LinkedBlockingQueue<>();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        typed.subscribe(q, StringValue.getDefaultInstance(), (value, event) -> {
            values.add(value.getValue());
            events.add(event);
        }, SubscribeOptions.defaults());
        String id = typed.publish(q, StringValue.of("héllo"), Map.of("traceparent", "00-abc-def-01"), PublishOptions.DEFAULT);

        String value = await().atMost(WAIT).until(values::poll, v -> v != null);
        assertThat(value).isEqualTo("héllo");
        Event event = events.poll();
        assertThat(event.message().header(Message.MESSAGE_ID)).isEqualTo(id);
        assertThat(event.message().header("traceparent")).isEqualTo("00-abc-def-01");
        assertThat(event.message().header(Message.CONTENT_TYPE)).isEqualTo(Codecs.JSON.contentType());
    }

    @Test
    void wireFormatIsTheDocumentedEnvelope(Azurite azurite) {
        String q = queue("wire");
        open(azurite).publish(q, new Message(Map.of("k", "v"), "hi".getBytes(StandardCharsets.UTF_8)));
        PeekedMessageItem peeked = raw(azurite, q).peekMessage();
        String text = peeked.getBody().toString();
        assertThat(text).startsWith("{\"meshplay\":1,\"headers\":{")
                .contains("\"k\":\"v\"")
                .endsWith("\"body\":\"" + Base64.getEncoder().encodeToString("hi".getBytes(StandardCharsets.UTF_8)) + "\"}");
    }

    @Test
    void plainBase64AsTheGoSeedWritesIsAcceptedWithEmptyHeaders(Azurite azurite) {
        String q = queue("seed");
        QueueClient rawQueue = raw(azurite, q);
        rawQueue.create();
        rawQueue.sendMessage(Base64.getEncoder().encodeToString("from go".getBytes(StandardCharsets.UTF_8)));
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        open(azurite).subscribe(q, events::add);
        Event event = await().atMost(WAIT).until(events::poll, e -> e != null);
        assertThat(new String(event.message().body(), StandardCharsets.UTF_8)).isEqualTo("from go");
        assertThat(event.message().headers()).isEmpty();
    }

    @Test
    void malformedMessagesArePoisonedAtOnceAndTheSubscriberKeepsRunning(Azurite azurite) {
        String q = queue("malformed");
        QueueClient rawQueue = raw(azurite, q);
        rawQueue.create();
        List<String> bad = List.of("not base64 at all!", "{\"meshplay\":1,\"body\":\"%%%\"}", "{\"meshplay\":1,",
                "{\"headers\":{},\"body\":\"aGk=\"}", "{\"meshplay\":1,\"headers\":{\"a\":5},\"body\":\"aGk=\"}");
        bad.forEach(rawQueue::sendMessage);
        AtomicInteger handled = new AtomicInteger();
        Subscription subscription = open(azurite).subscribe(q, e -> handled.incrementAndGet(),
                SubscribeOptions.defaults().withName("strict-handler"));

        QueueClient poison = raw(azurite, Poison.queueOf(q));
        await().atMost(WAIT).until(() -> BrokerMetrics.of(q).poisoned.count() == bad.size());
        List<Message> poisoned = TestBrokers.drainVisible(poison).stream().map(m -> Envelope.decode(m.getBody().toString())).toList();
        assertThat(poisoned).hasSize(bad.size());
        assertThat(poisoned).allSatisfy(m -> {
            assertThat(m.header(Poison.REASON)).startsWith("undecodable message: ");
            assertThat(m.header(Poison.SOURCE)).isEqualTo(q);
            assertThat(m.header(Poison.HANDLER)).isEqualTo("strict-handler");
            assertThat(m.header(Poison.ATTEMPTS)).isEqualTo("1");
        });
        assertThat(poisoned.stream().map(m -> new String(m.body(), StandardCharsets.UTF_8)))
                .as("the raw text is kept as the poison body").containsExactlyInAnyOrderElementsOf(bad);
        assertThat(BrokerMetrics.of(q).decodeFailures.count()).isEqualTo(bad.size());
        assertThat(handled).hasValue(0);

        open(azurite).publish(q, Message.of("good".getBytes(StandardCharsets.UTF_8)));
        await().atMost(WAIT).until(() -> handled.get() == 1);
        assertThat(subscription.active()).isTrue();
    }

    @Test
    void alwaysFailingMessageEndsInPoisonAfterMaxDequeueCountTries(Azurite azurite) {
        AzureQueueBroker broker = open(azurite);
        String q = queue("failing");
        List<Long> attempts = new CopyOnWriteArrayList<>();
        broker.subscribe(q, e -> {
            attempts.add(e.attempt());
            throw new IllegalStateException("boom " + e.attempt());
        }, SubscribeOptions.defaults().withName("failing-handler"));
        broker.publish(q, new Message(Map.of("traceparent", "00-1-2-01"), "payload".getBytes(StandardCharsets.UTF_8)));

        QueueClient poison = raw(azurite, Poison.queueOf(q));
        await().atMost(WAIT).until(() -> BrokerMetrics.of(q).poisoned.count() == 1);
        assertThat(attempts).containsExactly(1L, 2L, 3L);
        List<Message> poisoned = TestBrokers.drainVisible(poison).stream().map(m -> Envelope.decode(m.getBody().toString())).toList();
        assertThat(poisoned).singleElement().satisfies(m -> {
            assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("payload");
            assertThat(m.header("traceparent")).isEqualTo("00-1-2-01");
            assertThat(m.header(Poison.REASON)).isEqualTo("handler failed 3 times (max-attempts 3)");
            assertThat(m.header(Poison.HANDLER)).isEqualTo("failing-handler");
            assertThat(m.header(Poison.ERROR)).isEqualTo("java.lang.IllegalStateException: boom 3");
            assertThat(m.header(Poison.ATTEMPTS)).isEqualTo("3");
        });
        assertThat(TestBrokers.drainVisible(raw(azurite, q))).as("deleted from the source").isEmpty();
        assertThat(raw(azurite, q).getProperties().getApproximateMessagesCount()).isZero();
    }

    @Test
    void poisonMessageExceptionSkipsTheRetries(Azurite azurite) {
        AzureQueueBroker broker = open(azurite);
        String q = queue("reject");
        AtomicInteger calls = new AtomicInteger();
        broker.subscribe(q, e -> {
            calls.incrementAndGet();
            throw new PoisonMessageException("unknown schema v9");
        });
        broker.publish(q, Message.of(new byte[] {1}));
        await().atMost(WAIT).until(() -> BrokerMetrics.of(q).poisoned.count() == 1);
        Message poisoned = Envelope.decode(raw(azurite, Poison.queueOf(q)).peekMessage().getBody().toString());
        assertThat(poisoned.header(Poison.REASON)).isEqualTo("handler rejected the message: unknown schema v9");
        assertThat(calls).hasValue(1);
    }

    @Test
    void visibilityDelayAndTimeToLiveReachTheService(Azurite azurite) {
        AzureQueueBroker broker = open(azurite);
        String q = queue("options");
        broker.publish(q, Message.of(new byte[] {1}), PublishOptions.DEFAULT.withTimeToLive(Duration.ofMinutes(3)));
        PeekedMessageItem peeked = raw(azurite, q).peekMessage();
        assertThat(Duration.between(peeked.getInsertionTime(), peeked.getExpirationTime())).isEqualTo(Duration.ofMinutes(3));
        raw(azurite, q).clearMessages();

        BlockingQueue<Instant> received = new LinkedBlockingQueue<>();
        Instant published = Instant.now();
        broker.publish(q, Message.of(new byte[] {2}), PublishOptions.DEFAULT.withVisibilityDelay(Duration.ofSeconds(2)));
        broker.subscribe(q, e -> received.add(Instant.now()));
        Instant at = await().atMost(WAIT).until(received::poll, i -> i != null);
        assertThat(Duration.between(published, at)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void defaultTimeToLiveIsTheServiceDefault(Azurite azurite) {
        String q = queue("ttl");
        open(azurite).publish(q, Message.of(new byte[] {1}));
        PeekedMessageItem peeked = raw(azurite, q).peekMessage();
        assertThat(Duration.between(peeked.getInsertionTime(), peeked.getExpirationTime())).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void queueLengthGaugeIsRefreshedPerSubscribedQueue(Azurite azurite) {
        AzureQueueBroker broker = open(azurite);
        String q = queue("gauge");
        for (int i = 0; i < 5; i++) {
            broker.publish(q, Message.of(new byte[] {(byte) i}));
        }
        CountDownLatch release = new CountDownLatch(1);
        broker.subscribe(q, e -> release.await(), SubscribeOptions.defaults().withConcurrency(2));
        await().atMost(WAIT).until(() -> Metrics.globalRegistry().gauge("meshplay.broker.queue.length", List.of(Tag.create("queue", q)))
                .map(g -> g.value().longValue()).orElse(-1L) == 5);
        release.countDown();
        await().atMost(WAIT).until(() -> BrokerMetrics.of(q).queueLength() == 0);
    }

    @Test
    void missingQueueWithCreateQueuesOffIsAClearError(Azurite azurite) {
        AzureQueueBroker broker = open(azurite, "create-queues", "false");
        String q = queue("absent");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broker.publish(q, Message.of(new byte[] {1})))
                .hasMessageContaining("queue '" + q + "' does not exist")
                .hasMessageContaining("create-queues");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> raw(azurite, q).getProperties())
                .as("not created").hasMessageContaining("QueueNotFound");
    }

    @Test
    void sixtyFourKilobyteLimitIsCheckedBeforeSending(Azurite azurite) {
        AzureQueueBroker broker = open(azurite);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> broker.publish(queue("big"), Message.of(new byte[60_000])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 65536");
    }
}
