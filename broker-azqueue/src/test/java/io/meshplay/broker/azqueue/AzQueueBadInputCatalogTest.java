package io.meshplay.broker.azqueue;

import static io.meshplay.broker.azqueue.CatalogSupport.WAIT;
import static io.meshplay.broker.azqueue.CatalogSupport.assertSourceEmpty;
import static io.meshplay.broker.azqueue.CatalogSupport.poisonCopies;
import static io.meshplay.broker.azqueue.TestBrokers.queue;
import static io.meshplay.broker.azqueue.TestBrokers.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.azure.storage.queue.QueueClient;
import com.google.protobuf.StringValue;
import io.meshplay.broker.Handler;
import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.broker.PoisonMessageException;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.codec.TypedBroker;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad queue messages (catalogue ids, docs/bad-input/azqueue.md), on a real Azurite: each goes to
 * the poison queue at once (or after max-attempts) with a reason a user can read, in a copy that fits the
 * queue's 64 KiB, and leaves the source queue empty. Outages and credentials: {@link AzQueueOutageBadInputCatalogTest}.
 */
@ExtendWith(AzuriteExtension.class)
class AzQueueBadInputCatalogTest {

    private static final int LIMIT = Envelope.MAX_TEXT_BYTES;

    @Test
    @DisplayName("Q-1 text that is neither an envelope nor base64 is poisoned at once, kept as the body")
    void notBase64(Azurite azurite) {
        CatalogSupport.PoisonCopy copy = poisonRaw(azurite, "not base64 at all!", e -> { });
        assertThat(copy.reason()).startsWith("undecodable message: neither a meshplay envelope nor base64: Illegal base64 character");
        assertThat(copy.body()).isEqualTo("not base64 at all!");
        assertThat(copy.message().header(Poison.ATTEMPTS)).isEqualTo("1");
        assertThat(copy.message().header(Poison.TRUNCATED)).isNull();
    }

    @Test
    @DisplayName("Q-2 an envelope that is broken JSON is poisoned at once")
    void brokenJson(Azurite azurite) {
        assertThat(poisonRaw(azurite, "{\"meshplay\":1,", e -> { }).reason()).startsWith("undecodable message: the envelope is not valid JSON");
    }

    @Test
    @DisplayName("Q-3 an envelope without \"meshplay\": 1 (another version) is poisoned at once")
    void wrongVersion(Azurite azurite) {
        assertThat(poisonRaw(azurite, "{\"meshplay\":2,\"headers\":{},\"body\":\"aGk=\"}", e -> { }).reason())
                .isEqualTo("undecodable message: the envelope has no \"meshplay\": 1 field");
    }

    @Test
    @DisplayName("Q-4 an envelope header that is not a string is poisoned at once, naming the header")
    void headerOfWrongType(Azurite azurite) {
        assertThat(poisonRaw(azurite, "{\"meshplay\":1,\"headers\":{\"a\":5},\"body\":\"aGk=\"}", e -> { }).reason())
                .isEqualTo("undecodable message: the envelope's header 'a' is not a string");
    }

    @Test
    @DisplayName("Q-5 an envelope whose body is not base64 is poisoned at once")
    void envelopeBodyNotBase64(Azurite azurite) {
        assertThat(poisonRaw(azurite, "{\"meshplay\":1,\"headers\":{},\"body\":\"%%%\"}", e -> { }).reason())
                .startsWith("undecodable message: the envelope's body is not base64");
    }

    @Test
    @DisplayName("Q-6 a handler that throws every time: poisoned after max-attempts with the last error and the count")
    void handlerFailsEveryTime(Azurite azurite) {
        CatalogSupport.PoisonCopy copy = poisonRaw(azurite, Base64.getEncoder().encodeToString("payload".getBytes(StandardCharsets.UTF_8)),
                e -> {
                    throw new IllegalStateException("boom " + e.attempt());
                });
        assertThat(copy.reason()).isEqualTo("handler failed 3 times (max-attempts 3)");
        assertThat(copy.message().header(Poison.ERROR)).isEqualTo("java.lang.IllegalStateException: boom 3");
        assertThat(copy.message().header(Poison.ATTEMPTS)).isEqualTo("3");
        assertThat(copy.body()).isEqualTo("payload");
    }

    @Test
    @DisplayName("Q-7 a content type no codec reads (TypedBroker) is poisoned at once, listing the known ones")
    void unknownContentType(Azurite azurite) {
        String q = queue("q7");
        try (AzureQueueBroker broker = TestBrokers.broker(azurite)) {
            broker.publish(q, new Message(Map.of(Message.CONTENT_TYPE, "application/xml"), "<a/>".getBytes(StandardCharsets.UTF_8)));
            new TypedBroker(broker).subscribe(q, StringValue.getDefaultInstance(), (value, event) -> { }, SubscribeOptions.defaults());
            CatalogSupport.PoisonCopy copy = poisonCopies(azurite, q).getFirst();
            assertThat(copy.reason()).startsWith("undecodable: no codec for content type 'application/xml'; known: ");
            assertThat(copy.body()).isEqualTo("<a/>");
            assertSourceEmpty(azurite, q);
        }
    }

    @Test
    @DisplayName("Q-8 60,011 characters of non-base64 text: the poison copy (~80 KB whole) is stored truncated, with size and digest")
    void issueCaseSixtyThousandCharacters(Azurite azurite) {
        assertTruncatedCopy(azurite, "x-".repeat(30_005) + "!", "undecodable message: neither a meshplay envelope nor base64");
    }

    @Test
    @DisplayName("Q-9 the largest raw text Azure takes (65,536 bytes, not base64): a truncated copy that fits")
    void largestRawText(Azurite azurite) {
        // two-byte characters too, so the cut must fall between characters
        String text = "é".repeat(1000) + "r".repeat(LIMIT - 2000);
        assertThat(Envelope.size(text)).isEqualTo(LIMIT);
        assertTruncatedCopy(azurite, text, "undecodable message: neither a meshplay envelope nor base64");
    }

    @Test
    @DisplayName("Q-10 the largest base64-alphabet text (65,533 characters, a final unit of one) that does not decode: truncated copy")
    void largestBrokenBase64(Azurite azurite) {
        String text = "QUJD".repeat((LIMIT - 4) / 4) + "A";
        assertTruncatedCopy(azurite, text, "undecodable message: neither a meshplay envelope nor base64");
    }

    @Test
    @DisplayName("Q-11 the largest envelope-shaped text (65,536 bytes) with a version no reader knows: truncated copy")
    void largestMalformedEnvelope(Azurite azurite) {
        String head = "{\"meshplay\":2,\"headers\":{},\"body\":\"";
        String text = head + "QUJD".repeat((LIMIT - head.length() - 2) / 4) + "\"}";
        text = text.substring(0, text.length() - 2) + "A".repeat(LIMIT - Envelope.size(text)) + "\"}";
        assertThat(Envelope.size(text)).isEqualTo(LIMIT);
        assertTruncatedCopy(azurite, text, "undecodable message: the envelope has no \"meshplay\": 1 field");
    }

    @Test
    @DisplayName("Q-12 the largest valid envelope, rejected by its handler: the poison headers push it over 64 KiB, so truncated")
    void largestValidEnvelopeRejected(Azurite azurite) {
        Map<String, String> headers = Map.of(Message.MESSAGE_ID, "m-12", Message.PUBLISHED_AT, "2026-01-01T00:00:00Z");
        int bodyBytes = LIMIT / 4 * 3;
        while (Envelope.size(Envelope.encode(new Message(headers, new byte[bodyBytes]))) > LIMIT) {
            bodyBytes -= 3; // bounded: at most LIMIT / 4 rounds
        }
        Message largest = new Message(headers, new byte[bodyBytes]);
        String q = queue("q12");
        try (AzureQueueBroker broker = TestBrokers.broker(azurite)) {
            broker.publish(q, largest);
            String text = raw(azurite, q).peekMessage().getBody().toString();
            broker.subscribe(q, e -> {
                throw new PoisonMessageException("schema v9 is not supported");
            }, SubscribeOptions.defaults().withName("catalog"));
            CatalogSupport.PoisonCopy copy = assertTruncated(azurite, q, text);
            assertThat(copy.reason()).isEqualTo("handler rejected the message: schema v9 is not supported");
            assertThat(copy.message().header(Message.MESSAGE_ID)).as("kept: identifies the message").isEqualTo("m-12");
        }
    }

    @Test
    @DisplayName("Q-13 the service refuses the whole and the truncated copy (it counts differently from us): a copy without body")
    void serviceRefusesTheLargerForms(Azurite azurite) {
        String text = "r".repeat(LIMIT - 1) + "!";
        String q = queue("q13");
        try (AzureQueueBroker broker = TestBrokers.broker(azurite); var log = new CatalogSupport.LogCapture()) {
            // the plug-in believes the limit is 1 MB, so it sends forms Azurite answers with 413 RequestBodyTooLarge
            processOnce(azurite, broker, q, text, new PoisonQueue((queue, t) -> broker.send(queue, t, null, null), q, 1_000_000));
            List<CatalogSupport.PoisonCopy> copies = poisonCopies(azurite, q);
            assertThat(copies).singleElement().satisfies(copy -> {
                assertThat(copy.reason()).startsWith("undecodable message: neither a meshplay envelope nor base64");
                assertThat(copy.message().header(Poison.TRUNCATED)).endsWith(": the body is left out");
                assertThat(copy.message().header(Poison.ORIGINAL_SIZE)).isEqualTo(Integer.toString(LIMIT));
                assertThat(copy.message().header(Poison.ORIGINAL_SHA256)).isEqualTo(PoisonCopies.sha256(text.getBytes(StandardCharsets.UTF_8)));
                assertThat(copy.message().body()).isEmpty();
            });
            assertSourceEmpty(azurite, q);
            assertThat(log.linesContaining("moved to '" + Poison.queueOf(q) + "'")).singleElement().asString()
                    .startsWith("WARNING").contains("body left out, sha256 ");
        }
    }

    @Test
    @DisplayName("Q-14 the service refuses every form of the copy: the message is deleted after one ERROR line with id, size, digest")
    void serviceRefusesEveryForm(Azurite azurite) {
        String text = "{\"not\": \"an envelope\"}";
        String q = queue("q14");
        try (AzureQueueBroker broker = TestBrokers.broker(azurite); var log = new CatalogSupport.LogCapture()) {
            // every copy is padded past Azurite's limit, so each answer is a real 413
            String id = processOnce(azurite, broker, q, text,
                    new PoisonQueue((queue, t) -> broker.send(queue, t + " ".repeat(LIMIT), null, null), q, LIMIT));
            assertSourceEmpty(azurite, q);
            assertThat(raw(azurite, Poison.queueOf(q)).getProperties().getApproximateMessagesCount()).isZero();
            assertThat(BrokerMetrics.of(q).poisonDropped.count()).isEqualTo(1);
            assertThat(log.lines()).filteredOn(l -> l.startsWith("SEVERE")).singleElement().asString()
                    .contains("message " + id + " on '" + q + "' (" + text.length() + " bytes, sha256 "
                            + PoisonCopies.sha256(text.getBytes(StandardCharsets.UTF_8)) + ")")
                    .contains("HTTP 413 RequestBodyTooLarge (queue service at " + azurite.endpoint() + ")")
                    .contains("deleting it");
            assertThat(log.sdkLines()).isEmpty();
        }
    }

    /** Sends {@code text} raw, receives it once and runs it through a processor that poisons with {@code poison}. */
    private static String processOnce(Azurite azurite, AzureQueueBroker broker, String q, String text, PoisonQueue poison) {
        QueueClient source = raw(azurite, q);
        source.create();
        source.sendMessage(text);
        var item = source.receiveMessage();
        new DeliveryProcessor(q, source, e -> { }, "catalog", broker.options().deliveryPolicy(), poison, BrokerMetrics.of(q),
                new SafeErrors(List.of())).process(new Delivery(item));
        return item.getMessageId();
    }

    /** Sends {@code text} as is, subscribes {@code handler}, and returns the one poison copy. */
    private static CatalogSupport.PoisonCopy poisonRaw(Azurite azurite, String text, Handler handler) {
        String q = queue("catalog");
        QueueClient source = raw(azurite, q);
        source.create();
        source.sendMessage(text);
        try (AzureQueueBroker broker = TestBrokers.broker(azurite)) {
            broker.subscribe(q, handler, SubscribeOptions.defaults().withName("catalog"));
            List<CatalogSupport.PoisonCopy> copies = poisonCopies(azurite, q);
            assertThat(copies).hasSize(1);
            CatalogSupport.PoisonCopy copy = copies.getFirst();
            assertThat(copy.message().header(Poison.SOURCE)).isEqualTo(q);
            assertThat(copy.message().header(Poison.HANDLER)).isEqualTo("catalog");
            assertSourceEmpty(azurite, q);
            return copy;
        }
    }

    private static void assertTruncatedCopy(Azurite azurite, String text, String reasonStart) {
        String q = queue("big");
        QueueClient source = raw(azurite, q);
        source.create();
        source.sendMessage(text);
        try (AzureQueueBroker broker = TestBrokers.broker(azurite)) {
            broker.subscribe(q, e -> { }, SubscribeOptions.defaults().withName("catalog"));
            assertThat(assertTruncated(azurite, q, text).reason()).startsWith(reasonStart);
        }
    }

    /** One copy on q's poison queue: truncated, fitting, with the original's size and digest; the source empty. */
    private static CatalogSupport.PoisonCopy assertTruncated(Azurite azurite, String q, String original) {
        byte[] bytes = original.getBytes(StandardCharsets.UTF_8);
        List<CatalogSupport.PoisonCopy> copies = poisonCopies(azurite, q);
        assertThat(copies).hasSize(1);
        CatalogSupport.PoisonCopy copy = copies.getFirst();
        assertThat(copy.message().header(Poison.TRUNCATED))
                .matches("the copy would be \\d+ bytes, over the queue's limit of 65536: the body is the start of the original queue text");
        assertThat(copy.message().header(Poison.ORIGINAL_SIZE)).isEqualTo(Integer.toString(bytes.length));
        assertThat(copy.message().header(Poison.ORIGINAL_SHA256)).isEqualTo(PoisonCopies.sha256(bytes)).hasSize(64);
        assertThat(copy.message().header(Poison.SOURCE)).isEqualTo(q);
        assertThat(copy.message().body().length).as("most of what fits").isGreaterThan(40_000);
        assertThat(original).startsWith(copy.body());
        await().atMost(WAIT).until(() -> BrokerMetrics.of(q).poisoned.count() == 1);
        assertSourceEmpty(azurite, q);
        return copy;
    }
}
