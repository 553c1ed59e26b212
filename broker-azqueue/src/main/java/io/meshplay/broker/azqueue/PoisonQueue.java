package io.meshplay.broker.azqueue;

import java.lang.System.Logger.Level;

import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.broker.Settlement;

/**
 * Moves a message that cannot be handled to {@code <queue>-poison}: first a copy with the reason,
 * handler, last error and attempt count (the core {@link Poison} headers) plus the original headers
 * and body, then the delete from the source.
 *
 * <p>The copy always fits: when the whole one would exceed the queue's limit, a truncated form (or, if the
 * service refuses that too, one without a body) is stored instead, see {@link PoisonCopies}. What happens
 * when storing fails depends on why:
 * <ul>
 *   <li>the service cannot be reached, or refuses the credentials: the message stays on the source queue and
 *       is poisoned again on its next delivery (the failure heals, the message must not be lost);</li>
 *   <li>the service refuses every form for good (HTTP 413/400): the message is deleted after one ERROR line
 *       with its queue, id, size and SHA-256. Losing it loudly beats cycling between the queues until it
 *       expires.</li>
 * </ul>
 */
final class PoisonQueue {

    private static final System.Logger LOG = System.getLogger(PoisonQueue.class.getName());

    /** What became of the message. */
    enum Outcome {
        /** A copy is on the poison queue: delete the source. */
        STORED,
        /** No form could ever be stored: delete the source anyway (logged as an error). */
        DROPPED,
        /** Storing failed for a reason that may heal: keep the source, it comes back. */
        KEPT
    }

    /** Writes queue text; the broker's send, or a test's. */
    interface Sender {
        void send(String queue, String text);
    }

    private final Sender sender;
    private final String source;
    private final String name;
    private final int limit;

    PoisonQueue(AzureQueueBroker broker, String source) {
        this((queue, text) -> broker.send(queue, text, null, null), source, Envelope.MAX_TEXT_BYTES);
    }

    /** @param limit the poison queue's limit in UTF-8 bytes of text (Azure's 64 KiB; other values for tests) */
    PoisonQueue(Sender sender, String source, int limit) {
        this.sender = sender;
        this.source = source;
        this.name = Poison.queueOf(source);
        this.limit = limit;
    }

    String name() {
        return name;
    }

    /**
     * @param original the decoded message, or null when it did not decode (the raw text is kept as body)
     */
    Outcome store(Delivery delivery, Message original, Settlement.Reject reject, String handler) {
        byte[] text = PoisonCopies.bytes(delivery.text());
        Message base = original != null ? original : Message.of(text);
        Message poisoned = reject.poisoned(base, source, handler, delivery.dequeueCount());
        AzureQueueBroker.RefusedException refused = null;
        for (PoisonCopies.Copy copy : PoisonCopies.forms(text, poisoned, limit)) {
            try {
                sender.send(name, copy.text());
                LOG.log(Level.WARNING, "azqueue: message " + delivery.messageId() + " on '" + source + "' moved to '" + name
                        + "' after " + delivery.dequeueCount() + " deliveries"
                        + (copy.reduced() ? " (" + copy.cut() + ", sha256 " + PoisonCopies.sha256(text) + ")" : "") + ": "
                        + shortened(reject.reason()));
                return Outcome.STORED;
            } catch (AzureQueueBroker.RefusedException e) {
                // refused for good: a smaller form may still be taken (the service may count differently from us)
                refused = e;
                LOG.log(Level.DEBUG, () -> "azqueue: '" + name + "' refused a " + copy.text().length() + "-character poison copy of "
                        + delivery.messageId() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "azqueue: could not copy message " + delivery.messageId() + " to '" + name + "' ("
                        + e.getMessage() + "); it stays on '" + source + "' and is poisoned again on its next delivery");
                return Outcome.KEPT;
            }
        }
        LOG.log(Level.ERROR, "azqueue: message " + delivery.messageId() + " on '" + source + "' (" + text.length
                + " bytes, sha256 " + PoisonCopies.sha256(text) + ") was to go to '" + name + "' (" + shortened(reject.reason())
                + ") but the service refused every form of the copy, the smallest without a body (" + refused.getMessage()
                + "); deleting it, since it could only cycle until it expires");
        return Outcome.DROPPED;
    }

    /** A reason can quote a handler's exception text; a log line needs only its start. */
    private static String shortened(String reason) {
        String line = reason == null ? "" : reason.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
