package io.meshplay.cli.queue;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the CLI does to a queue beyond publish/subscribe: look without taking, take and delete in
 * bulk, clear. Broker-specific, since the Broker API deliberately has none of it.
 */
public interface QueueAccess extends AutoCloseable {

    /** True when {@link #peek} works (it never consumes). */
    boolean canPeek();

    /**
     * The messages at the front of the queue, without changing them; fewer than {@code max} is normal
     * (Azure shows at most 32 this way).
     */
    List<QueuedMessage> peek(String queue, int max);

    /**
     * Receives up to {@code max} messages (hidden from others for {@code visibility} meanwhile), gives
     * each to {@code consumer} and deletes it once the consumer returns; a consumer that throws leaves
     * the message in the queue and stops. Ends when the queue is empty.
     *
     * @return how many were consumed and deleted
     */
    int take(String queue, int max, Duration visibility, Consumer<QueuedMessage> consumer);

    /** About how many messages wait in the queue (Azure's count is approximate); -1 when unknown. */
    long count(String queue);

    /** Deletes every message in the queue. */
    void clear(String queue);

    @Override
    default void close() {
    }
}
