package io.meshplay.broker.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

import io.meshplay.broker.Broker;
import io.meshplay.broker.DeliveryPolicy;
import io.meshplay.broker.Handler;
import io.meshplay.broker.Message;
import io.meshplay.broker.PublishOptions;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;

/**
 * A handle on a broker inside one JVM with the same {@link DeliveryPolicy} as the queue plug-ins: competing
 * consumers per topic, at-least-once, redelivery after a failed handler, and a {@code <topic>-poison}
 * topic after {@code max-attempts} failures. Handles on the same name share the topics; each handle owns
 * the subscriptions it made, and closing it closes exactly those. Messages belong to the topic, not to
 * the publisher's handle, so they stay queued when it closes.
 *
 * <p>It offers {@link #queueAdministration()} (length, take, purge) but not browsing. A peek would be
 * easy here; it is left out because "the memory broker cannot show messages without consuming them" is
 * behaviour the CLI documents and tests, so offering it is a change to make there first.
 */
public final class MemoryBroker implements Broker {

    /** An in-memory queue redelivers at once if asked; a short pause still keeps a failing handler from spinning. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);
    private static final Map<String, SharedQueues> SHARED = new ConcurrentHashMap<>();

    private final SharedQueues queues;
    private final DeliveryPolicy policy;
    private final List<MemorySubscription> subscriptions = new ArrayList<>();
    private final QueueAdministration administration = new MemoryQueueAdministration(this);
    private volatile boolean closed;

    /** A private broker whose failing messages are retried after {@code retryBackoff}, doubling, up to {@code maxAttempts}. */
    public MemoryBroker(int maxAttempts, Duration retryBackoff) {
        this(new SharedQueues("(private)"), policy(maxAttempts, retryBackoff));
    }

    public MemoryBroker() {
        this(DeliveryPolicy.DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BACKOFF);
    }

    private MemoryBroker(SharedQueues queues, DeliveryPolicy policy) {
        this.queues = queues;
        this.policy = policy;
    }

    /**
     * A new handle on the JVM-wide broker of that name. The delivery policy applies to this handle's
     * subscriptions, as a queue plug-in's consumer settings would.
     */
    public static MemoryBroker shared(String name, DeliveryPolicy policy) {
        return new MemoryBroker(SHARED.computeIfAbsent(name, SharedQueues::new), policy);
    }

    public static MemoryBroker shared(String name, int maxAttempts, Duration retryBackoff) {
        return shared(name, policy(maxAttempts, retryBackoff));
    }

    private static DeliveryPolicy policy(int maxAttempts, Duration retryBackoff) {
        return new DeliveryPolicy(maxAttempts, retryBackoff, DeliveryPolicy.DEFAULT_MAX_RETRY_BACKOFF);
    }

    @Override
    public String type() {
        return MemoryBrokerProvider.TYPE;
    }

    @Override
    public void publish(String topic, Message message, PublishOptions options) {
        ensureOpen();
        enqueue(topic, new Pending(message.stamped(), 1, System.nanoTime() + options.visibilityDelay().toNanos()));
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

    /** Messages waiting (visible or delayed) on a topic; for tests (tools use {@link #queueAdministration()}). */
    public int depth(String topic) {
        ensureOpen();
        return queues.depth(topic);
    }

    @Override
    public Optional<QueueAdministration> queueAdministration() {
        return Optional.of(administration);
    }

    /** Closes this handle's subscriptions; other handles' subscriptions and all queued messages stay. */
    @Override
    public Optional<DeliveryPolicy> deliveryPolicy() {
        return Optional.of(policy);
    }

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

    /** The topic's queue for administration, which a closed handle no longer offers. */
    DelayQueue<Pending> openQueue(String topic) {
        ensureOpen();
        return queues.queue(topic);
    }

    /** Not checked against close: a handler finishing after close still hands its message back or poisons it. */
    void enqueue(String topic, Pending pending) {
        queues.queue(topic).add(pending);
    }

    DeliveryPolicy policy() {
        return policy;
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
