package io.meshplay.broker.memory;

import java.time.Duration;
import java.util.concurrent.DelayQueue;
import java.util.function.Consumer;

import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueuedMessage;

/**
 * The topics of one {@link MemoryBroker} handle's broker, administered directly. A taken message is out
 * of the topic while the consumer has it, as a received one is invisible on a queue service, so the
 * visibility timeout has nothing to bound here. Messages carry no queue id or enqueue time.
 */
final class MemoryQueueAdministration implements QueueAdministration {

    private final MemoryBroker broker;

    MemoryQueueAdministration(MemoryBroker broker) {
        this.broker = broker;
    }

    @Override
    public long length(String queue) {
        return broker.depth(queue);
    }

    @Override
    public int take(String queue, int max, Duration visibility, Consumer<QueuedMessage> consumer) {
        DelayQueue<MemoryBroker.Pending> topic = broker.openQueue(queue);
        int taken = 0;
        while (taken < max) {
            MemoryBroker.Pending pending = topic.poll();
            if (pending == null) {
                return taken;
            }
            try {
                consumer.accept(new QueuedMessage(null, pending.message(), pending.attempt(), null, null));
            } catch (RuntimeException | Error e) {
                // not taken after all: back as it was, so the next subscriber or take gets it
                topic.add(pending);
                throw e;
            }
            taken++;
        }
        return taken;
    }

    @Override
    public void purge(String queue) {
        broker.openQueue(queue).clear();
    }
}
