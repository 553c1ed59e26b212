package io.meshplay.broker.memory;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.meshplay.broker.Event;
import io.meshplay.broker.Handler;
import io.meshplay.broker.Poison;
import io.meshplay.broker.Settlement;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;

/** Worker threads taking from one topic; unstarted messages simply stay queued when it closes. */
final class MemorySubscription implements Subscription {

    private static final System.Logger LOG = System.getLogger(MemorySubscription.class.getName());
    private static final long POLL_MILLIS = 50;
    private static final long CLOSE_DEADLINE_MILLIS = 10_000;

    private final MemoryBroker broker;
    private final String topic;
    private final Handler handler;
    private final SubscribeOptions options;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean active;

    MemorySubscription(MemoryBroker broker, String topic, Handler handler, SubscribeOptions options) {
        this.broker = broker;
        this.topic = topic;
        this.handler = handler;
        this.options = options;
    }

    void start() {
        active = true;
        for (int i = 0; i < options.concurrency(); i++) {
            workers.add(Thread.ofVirtual().name("memory-broker-" + topic + "-", i).start(this::work));
        }
    }

    private void work() {
        var queue = broker.queue(topic);
        while (active) {
            MemoryBroker.Pending pending;
            try {
                pending = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (pending == null) {
                continue;
            }
            deliver(pending);
        }
    }

    private void deliver(MemoryBroker.Pending pending) {
        Settlement settlement = broker.policy().handle(handler, new Event(topic, pending.message(), pending.attempt()));
        switch (settlement) {
            case Settlement.Acknowledge ignored -> {
                // taking it off the queue was the acknowledgement
            }
            case Settlement.Redeliver redeliver -> broker.enqueue(topic, new MemoryBroker.Pending(pending.message(),
                    pending.attempt() + 1, System.nanoTime() + redeliver.after().toNanos()));
            case Settlement.Reject reject -> poison(pending, reject);
        }
    }

    private void poison(MemoryBroker.Pending pending, Settlement.Reject reject) {
        LOG.log(Level.WARNING, "message on " + topic + " moved to " + Poison.queueOf(topic) + ": " + reject.reason());
        broker.enqueue(Poison.queueOf(topic), new MemoryBroker.Pending(
                reject.poisoned(pending.message(), topic, options.name(), pending.attempt()), 1, System.nanoTime()));
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public boolean active() {
        return active;
    }

    @Override
    public void close() {
        // the subscriber and its broker handle's close may race; only one of them joins the workers
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        active = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_DEADLINE_MILLIS);
        for (Thread worker : workers) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !worker.join(java.time.Duration.ofNanos(left))) {
                    worker.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        broker.forget(this);
    }
}
