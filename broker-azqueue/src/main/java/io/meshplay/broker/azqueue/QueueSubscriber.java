package io.meshplay.broker.azqueue;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import io.meshplay.broker.Handler;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.retry.Backoff;
import io.meshplay.retry.OutageLog;

/**
 * A competing consumer of one queue: a receive loop that takes up to {@code batch-size} messages at a
 * time but never holds more than the subscription's concurrency, and a virtual thread per held
 * message. Request failures never end the loop: it backs off, logs once per outage and goes on.
 */
final class QueueSubscriber implements Subscription {

    private static final System.Logger LOG = System.getLogger(QueueSubscriber.class.getName());
    /** The first pause after an empty receive, and the least max-polling-interval can be. */
    static final Duration MIN_POLLING = Duration.ofMillis(100);
    private static final Duration FAULT_BACKOFF_START = Duration.ofMillis(200);
    private static final String RETRYING = "; retrying with backoff";

    private final AzureQueueBroker broker;
    private final String queueName;
    private final QueueClient queue;
    private final AzureQueueOptions options;
    private final SubscribeOptions subscribeOptions;
    private final BrokerMetrics metrics;
    private final SafeErrors errors;
    private final DeliveryProcessor processor;
    private final LeaseRenewer renewer;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final ScheduledExecutorService gauges;
    private final Set<Delivery> held = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final OutageLog outage;
    private final Thread receiver;
    private volatile boolean closing;
    private volatile boolean closed;

    QueueSubscriber(AzureQueueBroker broker, String queueName, QueueClient queue, Handler handler, SubscribeOptions subscribeOptions,
                    AzureQueueOptions options, SafeErrors errors) {
        this.broker = broker;
        this.queueName = queueName;
        this.queue = queue;
        this.options = options;
        this.subscribeOptions = subscribeOptions;
        this.errors = errors;
        this.metrics = BrokerMetrics.of(queueName);
        this.processor = new DeliveryProcessor(queueName, queue, handler, subscribeOptions.name(), options.deliveryPolicy(),
                new PoisonQueue(broker, queueName), metrics, errors);
        this.renewer = new LeaseRenewer(queue, queueName, options.visibilityTimeout(), metrics, errors);
        this.slots = new Semaphore(subscribeOptions.concurrency());
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("azqueue-" + queueName + "-", 0).factory());
        this.gauges = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("azqueue-length-" + queueName).factory());
        this.outage = new OutageLog("azqueue: receive from queue '" + queueName + "'");
        this.receiver = Thread.ofPlatform().daemon().name("azqueue-receive-" + queueName).unstarted(this::receiveLoop);
    }

    void start() {
        receiver.start();
        gauges.scheduleWithFixedDelay(this::refreshLength, 0, options.queueLengthInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "azqueue: subscribed '" + subscribeOptions.name() + "' to queue '" + queueName + "' (concurrency "
                + subscribeOptions.concurrency() + ", visibility " + options.visibilityTimeout() + ")");
    }

    @Override
    public String topic() {
        return queueName;
    }

    @Override
    public boolean active() {
        return !closing && receiver.isAlive();
    }

    /**
     * Azure queues have no long polling, so an idle subscriber sleeps between receives. Sleeping long saves
     * requests (each one is billed) but delays the first message after a quiet spell, so the pause starts
     * short and doubles while the queue stays empty; any message resets it.
     */
    static Backoff polling(Duration maxPollingInterval) {
        return Backoff.exponential(MIN_POLLING, maxPollingInterval);
    }

    private void receiveLoop() {
        Backoff polling = polling(options.maxPollingInterval());
        Backoff faults = Backoff.exponential(FAULT_BACKOFF_START, options.maxPollingInterval());
        while (!closing) {
            int wanted = acquireSlots();
            if (wanted == 0) {
                continue;
            }
            long sentAt = System.nanoTime();
            List<QueueMessageItem> items;
            try {
                items = receive(wanted);
                faults.reset();
                outage.success();
            } catch (RuntimeException e) {
                slots.release(wanted);
                onReceiveFailure(e);
                pause(faults.next());
                continue;
            }
            if (items.size() < wanted) {
                slots.release(wanted - items.size());
            }
            if (items.isEmpty()) {
                pause(polling.next());
                continue;
            }
            polling.reset();
            for (QueueMessageItem item : items) {
                metrics.received.increment();
                Delivery delivery = new Delivery(item);
                held.add(delivery);
                renewer.track(delivery, sentAt);
                workers.execute(() -> run(delivery));
            }
        }
    }

    /** Waits for at least one free slot, then takes as many more as are free, up to the batch size. */
    private int acquireSlots() {
        try {
            if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
            return 0;
        }
        int more = Math.min(options.batchSize() - 1, slots.availablePermits());
        if (more > 0 && slots.tryAcquire(more)) {
            return 1 + more;
        }
        return 1;
    }

    private List<QueueMessageItem> receive(int count) {
        List<QueueMessageItem> items = new ArrayList<>(count);
        queue.receiveMessages(count, options.visibilityTimeout(), null, null).forEach(items::add);
        return items;
    }

    private void onReceiveFailure(RuntimeException e) {
        metrics.faults.increment();
        if (SafeErrors.isQueueNotFound(e)) {
            if (options.createQueues()) {
                try {
                    broker.ensureQueue(queueName, true);
                    return;
                } catch (RuntimeException again) {
                    outage.failure(again.getMessage() + RETRYING);
                    return;
                }
            }
            outage.failure(Level.ERROR, "the queue does not exist (create it, or set broker.azqueue.create-queues: true)" + RETRYING);
            return;
        }
        outage.failure(SafeErrors.outageLevel(e), broker.explain(queueName, e) + RETRYING);
    }

    private void run(Delivery delivery) {
        try {
            if (closing) {
                // received but not started before close: another consumer may take it right away
                processor.makeVisible(delivery, Duration.ZERO);
            } else {
                processor.process(delivery);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "azqueue: unexpected failure handling message " + delivery.messageId() + " of '" + queueName
                    + "': " + errors.redact(String.valueOf(e)));
        } finally {
            synchronized (delivery) {
                delivery.settle();
            }
            held.remove(delivery);
            slots.release();
        }
    }

    private void refreshLength() {
        try {
            metrics.queueLength(queue.getProperties().getApproximateMessagesCount());
        } catch (RuntimeException e) {
            // the receive loop reports outages; a stale gauge is fine meanwhile
        }
    }

    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    /**
     * Stops receiving, lets running handlers finish until {@code shutdown-timeout}, and hands back
     * messages that were received but not started (visible again at once). Handlers still running
     * after the deadline are interrupted; their messages become visible when their lease lapses.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closing = true;
        stopping.countDown();
        long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
        try {
            receiver.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())).plus(options.requestTimeout()));
            workers.shutdown();
            if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.log(Level.WARNING, "azqueue: " + held.size() + " handlers on '" + queueName + "' still running after "
                        + "shutdown-timeout " + options.shutdownTimeout() + "; interrupting them, their messages will be "
                        + "delivered again after the visibility timeout");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        } finally {
            renewer.close();
            gauges.shutdownNow();
            closed = true;
            broker.forget(this);
            LOG.log(Level.INFO, "azqueue: unsubscribed '" + subscribeOptions.name() + "' from queue '" + queueName + "'");
        }
    }
}
