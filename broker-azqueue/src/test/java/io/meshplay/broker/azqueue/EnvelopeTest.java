package io.meshplay.broker.azqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.meshplay.broker.Message;
import io.meshplay.broker.PoisonMessageException;
import io.meshplay.retry.Backoff;
import org.junit.jupiter.api.Test;

/** The wire format and the small rules that need no queue service. */
class EnvelopeTest {

    @Test
    void envelopeRoundTripsAnyHeadersAndBytes() {
        byte[] body = new byte[256];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        Message message = new Message(Map.of("traceparent", "00-a-b-01", "quote\"d", "line\nbreak\u0001", "ü", "✓"), body);
        String text = Envelope.encode(message);
        assertThat(text).doesNotContain("\n").startsWith("{\"meshplay\":1,");
        assertThat(Envelope.decode(text)).isEqualTo(message);
    }

    @Test
    void plainBase64IsABodyWithoutHeaders() {
        Message decoded = Envelope.decode("aGVsbG8=");
        assertThat(decoded.headers()).isEmpty();
        assertThat(new String(decoded.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void unknownEnvelopeFieldsAreIgnored() {
        Message decoded = Envelope.decode("{\"meshplay\":1,\"later\":{\"x\":[1,2]},\"headers\":{\"a\":\"b\"},\"body\":\"aGk=\"}");
        assertThat(decoded.headers()).containsExactly(Map.entry("a", "b"));
    }

    @Test
    void undecodableTextsArePoison() {
        for (String bad : new String[] {"", "%%%", "{", "{\"meshplay\":2,\"body\":\"aGk=\"}", "{\"meshplay\":1}",
                "{\"meshplay\":1,\"body\":\"aGk=\"} trailing", "[1]", "{\"meshplay\":1,\"headers\":[],\"body\":\"aGk=\"}"}) {
            assertThatThrownBy(() -> Envelope.decode(bad)).as(bad).isInstanceOf(PoisonMessageException.class);
        }
    }

    @Test
    void pollingDoublesFromAHundredMillisToTheMaximumAndResets() {
        Backoff polling = QueueSubscriber.polling(Duration.ofSeconds(1));
        assertThat(polling.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(polling.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(polling.next()).isEqualTo(Duration.ofMillis(400));
        assertThat(polling.next()).isEqualTo(Duration.ofMillis(800));
        assertThat(polling.next()).isEqualTo(Duration.ofSeconds(1));
        assertThat(polling.next()).isEqualTo(Duration.ofSeconds(1));
        polling.reset();
        assertThat(polling.next()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void queueNameRules() {
        assertThat(QueueNames.isValid("abc")).isTrue();
        assertThat(QueueNames.isValid("a-b-c-123")).isTrue();
        assertThat(QueueNames.isValid("a".repeat(63))).isTrue();
        assertThat(QueueNames.isValid("a".repeat(64))).isFalse();
        assertThat(QueueNames.isValid("a_b")).isFalse();
        assertThat(QueueNames.isValid("abc-")).isFalse();
        assertThat(QueueNames.isValid("ABC")).isFalse();
        assertThat(QueueNames.isValid(null)).isFalse();
    }
}
