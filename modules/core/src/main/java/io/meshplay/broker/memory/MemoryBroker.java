package io.meshplay.broker.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

import io.meshplay.broker.Broker;
import io.meshplay.broker.Handler;
import io.meshplay.broker.Message;
import io.meshplay.broker.PublishOptions;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;

/**
 * A handle on a broker inside one JVM with the same delivery rules as the queue plug-ins: competing
 * consumers per topic, at-least-once, redelivery after a failed handler, and a {@code <topic>-poison}
 * topic after {@code maxAttempts} failures. Handles on the same name share the topics; each handle owns
 * the subscriptions it made, and closing it closes exactly those. Messages belong to the topic, not to
 * the publisher's handle, so they stay queued when it closes.
 */
public final class MemoryBroker implements Broker {

    private static final Map<String, SharedQueues> SHARED = new ConcurrentHashMap<>();

    private final SharedQueues queues;
    private final int maxAttempts;
    private final Duration redeliveryDelay;
    private final List<MemorySubscription> subscriptions = new ArrayList<>();
    private volatile boolean closed;

    public MemoryBroker(int maxAttempts, Duration redeliveryDelay) {
        this(new SharedQueues("(private)"), maxAttempts, redeliveryDelay);
    }

    public MemoryBroker() {
        this(5, Duration.ofMillis(100));
    }

    private MemoryBroker(SharedQueues queues, int maxAttempts, Duration redeliveryDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.queues = queues;
        this.maxAttempts = maxAttempts;
        this.redeliveryDelay = redeliveryDelay;
    }

    /**
     * A new handle on the JVM-wide broker of that name. {@code maxAttempts} and {@code redeliveryDelay}
     * apply to this handle's subscriptions, as a queue plug-in's consumer settings would.
     */
    public static MemoryBroker shared(String name, int maxAttempts, Duration redeliveryDelay) {
        return new MemoryBroker(SHARED.computeIfAbsent(name, SharedQueues::new), maxAttempts, redeliveryDelay);
    }

    @Override
    public String type() {
        return MemoryBrokerProvider.TYPE;
    }

    @Override
    public void publish(String topic, Message message, PublishOptions options) {
        ensureOpen();
        enqueue(topic, new Pending(message, 1, System.nanoTime() + options.visibilityDelay().toNanos()));
    }

    /** Synchronized with {@link #close()} so that no subscription starts after close took its list. */
    @Override
    public synchronized Subscription subscribe(String topic, Handler handler, SubscribeOptions options) {
        ensureOpen();
        MemorySubscription subscription = new MemorySubscription(this, topic, handler, options);
        subscriptions.add(subscription);
        subscription.start();
        return subscription;
    }

    /** Messages waiting (visible or delayed) on a topic; for tests and the CLI. */
    public int depth(String topic) {
        ensureOpen();
        return queues.depth(topic);
    }

    /** Closes this handle's subscriptions; other handles' subscriptions and all queued messages stay. */
    @Override
    public void close() {
        List<MemorySubscription> own;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            own = List.copyOf(subscriptions);
        }
        // outside the lock: closing waits for running handlers, which may call back into this handle
        own.forEach(MemorySubscription::close);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this memory broker handle (broker '" + queues.name()
                    + "') is closed; other handles on it still work, or create a new one from config");
        }
    }

    DelayQueue<Pending> queue(String topic) {
        return queues.queue(topic);
    }

    /** Not checked against close: a handler finishing after close still hands its message back or poisons it. */
    void enqueue(String topic, Pending pending) {
        queues.queue(topic).add(pending);
    }

    int maxAttempts() {
        return maxAttempts;
    }

    Duration redeliveryDelay() {
        return redeliveryDelay;
    }

    synchronized void forget(MemorySubscription subscription) {
        subscriptions.remove(subscription);
    }

    record Pending(Message message, long attempt, long visibleAtNanos) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(visibleAtNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(visibleAtNanos, ((Pending) other).visibleAtNanos);
        }
    }
}
