package io.meshplay.broker;

import java.time.Instant;
import java.util.Objects;

/**
 * A message as it sits in a queue, seen through {@link QueueBrowsing} or {@link QueueAdministration}.
 *
 * @param id           the queue's own id for it (not the {@code message-id} header), or null when the broker has none
 * @param message      headers and body, decoded from the queue's format
 * @param dequeueCount how often it was received so far, this time included (0 when only peeked at)
 * @param insertedAt   when it was enqueued, or null when the broker does not say
 * @param problem      why it could not be decoded (then {@code message} has no headers and the raw text as
 *                     body), or null
 */
public record QueuedMessage(String id, Message message, long dequeueCount, Instant insertedAt, String problem) {

    public QueuedMessage {
        Objects.requireNonNull(message, "message");
    }
}
