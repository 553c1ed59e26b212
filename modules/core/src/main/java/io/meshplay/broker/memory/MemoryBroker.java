package io.meshplay.broker.memory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * A broker inside one JVM with the same delivery rules as the queue plug-ins: competing consumers per
 * topic, at-least-once, redelivery after a failed handler, and a {@code <topic>-poison} topic after
 * {@code maxAttempts} failures.
 */
public final class MemoryBroker implements Broker {

    private static final Map<String, MemoryBroker> SHARED = new ConcurrentHashMap<>();

    private final Map<String, DelayQueue<Pending>> topics = new ConcurrentHashMap<>();
    private final List<MemorySubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final int maxAttempts;
    private final Duration redeliveryDelay;

    public MemoryBroker(int maxAttempts, Duration redeliveryDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.redeliveryDelay = redeliveryDelay;
    }

    public MemoryBroker() {
        this(5, Duration.ofMillis(100));
    }

    /** The JVM-wide broker of that name, so publishers and subscribers created from config meet. */
    public static MemoryBroker shared(String name, int maxAttempts, Duration redeliveryDelay) {
        return SHARED.computeIfAbsent(name, n -> new MemoryBroker(maxAttempts, redeliveryDelay));
    }

    @Override
    public String type() {
        return MemoryBrokerProvider.TYPE;
    }

    @Override
    public void publish(String topic, Message message, PublishOptions options) {
        enqueue(topic, new Pending(message, 1, System.nanoTime() + options.visibilityDelay().toNanos()));
    }

    @Override
    public Subscription subscribe(String topic, Handler handler, SubscribeOptions options) {
        MemorySubscription subscription = new MemorySubscription(this, topic, handler, options);
        subscriptions.add(subscription);
        subscription.start();
        return subscription;
    }

    /** Messages waiting (visible or delayed) on a topic; for tests and the CLI. */
    public int depth(String topic) {
        BlockingQueue<Pending> queue = topics.get(topic);
        return queue == null ? 0 : queue.size();
    }

    @Override
    public void close() {
        subscriptions.forEach(MemorySubscription::close);
        subscriptions.clear();
    }

    DelayQueue<Pending> queue(String topic) {
        return topics.computeIfAbsent(topic, t -> new DelayQueue<>());
    }

    void enqueue(String topic, Pending pending) {
        queue(topic).add(pending);
    }

    int maxAttempts() {
        return maxAttempts;
    }

    Duration redeliveryDelay() {
        return redeliveryDelay;
    }

    void forget(MemorySubscription subscription) {
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
