package io.meshplay.broker;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * What an operator does to a queue besides publishing and subscribing: see how much waits, take
 * messages off it outside any subscription (to move them, e.g. replaying a poison queue onto its
 * source), and empty it.
 *
 * <p>A capability: a broker that offers it returns it from {@link Broker#queueAdministration()}. It
 * lives as long as that broker and is as thread-safe. Failures are {@link BrokerException}s whose
 * messages never contain credentials.
 */
public interface QueueAdministration {

    /**
     * About how many messages {@code queue} holds, including those not visible yet (delayed, or received
     * and not yet deleted); queue services count approximately. 0 for a topic of an in-process broker that
     * nobody used yet (its topics exist once named).
     *
     * @throws QueueNotFoundException when a queue service has no queue of that name: administration never
     *                                creates one, so a misspelt name fails instead of making a new queue
     */
    long length(String queue);

    /**
     * Receives up to {@code max} visible messages, hands each to {@code consumer} and deletes it once the
     * consumer returns. A consumer that throws leaves its message in the queue (visible again after
     * {@code visibility}, or at once where the broker can put it back), ends the take and its exception
     * propagates. Ends early when no visible message is left; never waits for new ones.
     *
     * @param visibility how long a received message stays hidden from others while the consumer has it
     * @return how many messages were consumed and deleted
     * @throws QueueNotFoundException when the queue does not exist
     */
    int take(String queue, int max, Duration visibility, Consumer<QueuedMessage> consumer);

    /**
     * Deletes every message in {@code queue}; one a subscriber is handling right now may still come back
     * if that handler fails.
     *
     * @throws QueueNotFoundException when the queue does not exist
     */
    void purge(String queue);
}
