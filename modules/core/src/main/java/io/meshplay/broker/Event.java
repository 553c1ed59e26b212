package io.meshplay.broker;

/**
 * One delivery of a message to a handler.
 *
 * @param topic   the topic (queue) it came from
 * @param message the message
 * @param attempt 1 for the first delivery, higher for redeliveries
 */
public record Event(String topic, Message message, long attempt) {
}
