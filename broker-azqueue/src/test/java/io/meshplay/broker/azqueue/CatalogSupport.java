package io.meshplay.broker.azqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.azure.storage.queue.QueueClient;
import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.testing.azurite.Azurite;

/** What the bad-input catalogue tests look at: what a queue holds, and every log line written meanwhile. */
final class CatalogSupport {

    static final Duration WAIT = Duration.ofSeconds(30);

    private CatalogSupport() {
    }

    /** One copy on a poison queue: its text as stored, and decoded. */
    record PoisonCopy(String text, Message message) {
        String reason() {
            return message.header(Poison.REASON);
        }

        String body() {
            return new String(message.body(), StandardCharsets.UTF_8);
        }
    }

    /** Waits until {@code q}'s poison queue holds a copy, takes them all, and checks each fits Azure's limit. */
    static List<PoisonCopy> poisonCopies(Azurite azurite, String q) {
        QueueClient poison = TestBrokers.raw(azurite, Poison.queueOf(q));
        await().atMost(WAIT).ignoreExceptions().until(() -> poison.getProperties().getApproximateMessagesCount() > 0);
        List<PoisonCopy> copies = TestBrokers.drainVisible(poison).stream()
                .map(m -> m.getBody().toString())
                .map(text -> new PoisonCopy(text, Envelope.decode(text)))
                .toList();
        assertThat(copies).allSatisfy(c -> assertThat(Envelope.size(c.text())).isLessThanOrEqualTo(Envelope.MAX_TEXT_BYTES));
        return copies;
    }

    /** The source queue ends empty: nothing visible and nothing held (bounded wait). */
    static void assertSourceEmpty(Azurite azurite, String q) {
        QueueClient source = TestBrokers.raw(azurite, q);
        await().atMost(WAIT).until(() -> source.getProperties().getApproximateMessagesCount() == 0);
    }

    /** Every log record at INFO or above, from any logger, while open; a record is "LEVEL logger - message". */
    static final class LogCapture extends Handler implements AutoCloseable {
        // JUL holds loggers weakly; the root logger is held by the LogManager anyway
        private static final Logger ROOT = Logger.getLogger("");
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();

        LogCapture() {
            setLevel(Level.INFO);
            ROOT.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                records.add(record);
            }
        }

        List<String> lines() {
            return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + " - " + r.getMessage()
                    + (r.getThrown() == null ? "" : " " + r.getThrown())).toList();
        }

        List<String> linesContaining(String text) {
            return lines().stream().filter(l -> l.contains(text)).toList();
        }

        /** Lines the Azure SDK wrote itself (there should be none at default levels). */
        List<String> sdkLines() {
            return records.stream().filter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith("com.azure"))
                    .map(LogRecord::getMessage).toList();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            ROOT.removeHandler(this);
        }
    }
}
