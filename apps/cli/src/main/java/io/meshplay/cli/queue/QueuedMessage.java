package io.meshplay.cli.queue;

import java.time.Instant;

import io.meshplay.broker.Message;

/**
 * A message as it sits in a queue.
 *
 * @param id           the queue's id for it (not the {@code message-id} header), or null when unknown
 * @param message      headers and body, decoded from the queue's format
 * @param dequeueCount how often it was received so far (0 when the broker does not say)
 * @param insertedAt   when it was enqueued, or null
 * @param problem      why it could not be decoded (then {@code message} holds the raw text), or null
 */
public record QueuedMessage(String id, Message message, long dequeueCount, Instant insertedAt, String problem) {
}
