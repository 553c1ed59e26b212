package io.meshplay.cli.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.meshplay.broker.Broker;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.broker.memory.MemoryBroker;
import io.meshplay.cli.CliException;

/**
 * Any broker through the Broker API alone: taking works by subscribing (and so consumes), peeking does
 * not exist. A take ends once no message arrived for {@code idle}, since the API cannot say "empty".
 */
public final class BrokerQueueAccess implements QueueAccess {

    private static final String HANDLER = "meshplay-cli";

    private final Broker broker;
    private final Duration idle;

    public BrokerQueueAccess(Broker broker, Duration idle) {
        this.broker = broker;
        this.idle = idle;
    }

    @Override
    public boolean canPeek() {
        return false;
    }

    @Override
    public List<QueuedMessage> peek(String queue, int max) {
        throw CliException.usage("broker '" + broker.type() + "' cannot show messages without consuming them; "
                + "peeking needs broker.type azqueue");
    }

    @Override
    public int take(String queue, int max, Duration visibility, Consumer<QueuedMessage> consumer) {
        AtomicInteger taken = new AtomicInteger();
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        BlockingQueue<Boolean> arrivals = new LinkedBlockingQueue<>();
        Subscription subscription = broker.subscribe(queue, event -> {
            if (taken.get() >= max || failed.get() != null) {
                throw new IllegalStateException("the CLI has taken enough; leaving the message in the queue");
            }
            try {
                consumer.accept(new QueuedMessage(null, event.message(), event.attempt(), null, null));
                taken.incrementAndGet();
                arrivals.add(Boolean.TRUE);
            } catch (RuntimeException e) {
                failed.set(e);
                arrivals.add(Boolean.FALSE);
                throw e;
            }
        }, new SubscribeOptions(1, HANDLER));
        try {
            while (taken.get() < max && failed.get() == null && arrivals.poll(idle.toMillis(), TimeUnit.MILLISECONDS) != null) {
                // each arrival restarts the idle wait
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            subscription.close();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        return taken.get();
    }

    @Override
    public long count(String queue) {
        return broker instanceof MemoryBroker memory ? memory.depth(queue) : -1;
    }

    @Override
    public void clear(String queue) {
        take(queue, Integer.MAX_VALUE, Duration.ZERO, m -> { });
    }
}
