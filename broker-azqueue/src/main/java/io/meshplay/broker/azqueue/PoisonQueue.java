package io.meshplay.broker.azqueue;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.broker.Settlement;

/**
 * Moves a message that cannot be handled to {@code <queue>-poison}: first a copy with the reason,
 * handler, last error and attempt count (the core {@link Poison} headers) plus the original headers
 * and body, then the delete from the source. If the copy fails the source message stays, so it is
 * poisoned again on its next delivery rather than lost.
 */
final class PoisonQueue {

    private static final System.Logger LOG = System.getLogger(PoisonQueue.class.getName());

    private final AzureQueueBroker broker;
    private final String source;
    private final String name;

    PoisonQueue(AzureQueueBroker broker, String source) {
        this.broker = broker;
        this.source = source;
        this.name = Poison.queueOf(source);
    }

    String name() {
        return name;
    }

    /**
     * @param original the decoded message, or null when it did not decode (the raw text is kept as body)
     * @return true when the copy was stored
     */
    boolean store(Delivery delivery, Message original, Settlement.Reject reject, String handler) {
        Message base = original != null ? original
                : Message.of(delivery.text() == null ? new byte[0] : delivery.text().getBytes(StandardCharsets.UTF_8));
        Message poisoned = reject.poisoned(base, source, handler, delivery.dequeueCount());
        try {
            broker.send(name, Envelope.encode(poisoned), null, null);
            LOG.log(Level.WARNING, "azqueue: message " + delivery.messageId() + " on '" + source + "' moved to '" + name
                    + "' after " + delivery.dequeueCount() + " deliveries: " + reject.reason());
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "azqueue: could not copy message " + delivery.messageId() + " to '" + name + "' ("
                    + e.getMessage() + "); it stays on '" + source + "' and is poisoned again on its next delivery");
            return false;
        }
    }
}
