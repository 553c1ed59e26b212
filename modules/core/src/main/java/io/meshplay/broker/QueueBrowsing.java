package io.meshplay.broker;

import java.util.List;

/**
 * Looking at the messages waiting in a queue without consuming them: no delivery attempt is counted,
 * nothing becomes invisible to subscribers. Not every queue can do that (AWS SQS and RabbitMQ, for
 * instance, only hand messages out by receiving them), so it is a capability of its own, apart from
 * {@link QueueAdministration}.
 *
 * <p>A capability: a broker that offers it returns it from {@link Broker#queueBrowsing()}. It lives as
 * long as that broker and is as thread-safe. Failures are {@link BrokerException}s whose messages never
 * contain credentials.
 */
public interface QueueBrowsing {

    /**
     * The visible messages at the front of {@code queue}, oldest first where the broker knows the order,
     * unchanged. Fewer than {@code max} is normal: brokers show a limited window (Azure at most 32).
     *
     * @throws QueueNotFoundException when the queue does not exist
     * @throws IllegalArgumentException when {@code queue} is not a valid name for this broker
     */
    List<QueuedMessage> peek(String queue, int max);
}
