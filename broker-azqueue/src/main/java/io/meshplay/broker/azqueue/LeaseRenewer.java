package io.meshplay.broker.azqueue;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.UpdateMessageResult;
import io.meshplay.retry.OutageLog;

/**
 * Keeps held messages invisible while their handler runs (and while they wait to start), so a slow
 * handler is not raced by another consumer: every third of the visibility timeout the timeout is set
 * again from now. A third leaves room for one slow or failed renewal before the lease lapses.
 */
final class LeaseRenewer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LeaseRenewer.class.getName());

    private final QueueClient queue;
    private final String queueName;
    private final Duration visibility;
    private final long periodNanos;
    private final BrokerMetrics metrics;
    private final SafeErrors errors;
    private final OutageLog outage;
    private final ScheduledExecutorService timer;
    // renewals block on HTTP; a virtual thread each keeps the timer free
    private final ExecutorService io = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("azqueue-renew-", 0).factory());

    LeaseRenewer(QueueClient queue, String queueName, Duration visibility, BrokerMetrics metrics, SafeErrors errors) {
        this.queue = queue;
        this.queueName = queueName;
        this.visibility = visibility;
        this.periodNanos = Math.max(visibility.toNanos() / 3, TimeUnit.MILLISECONDS.toNanos(200));
        this.metrics = metrics;
        this.errors = errors;
        this.outage = new OutageLog("azqueue: visibility renewal on queue '" + queueName + "'");
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("azqueue-lease-" + queueName).factory());
    }

    /**
     * Starts renewing {@code delivery}, whose lease began at {@code receivedAtNanos} (when the
     * receive request was sent: the service's clock started no later than that).
     */
    void track(Delivery delivery, long receivedAtNanos) {
        schedule(delivery, receivedAtNanos + periodNanos);
    }

    private void schedule(Delivery delivery, long atNanos) {
        try {
            timer.schedule(() -> io.execute(() -> renew(delivery)), Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down: the lease lapses on its own
        }
    }

    private void renew(Delivery delivery) {
        long started = System.nanoTime();
        synchronized (delivery) {
            if (delivery.settled() || delivery.isLeaseLost()) {
                return;
            }
            try {
                UpdateMessageResult result = queue.updateMessage(delivery.messageId(), delivery.popReceipt(), null, visibility);
                delivery.popReceipt(result.getPopReceipt());
                metrics.leaseRenewals.increment();
                outage.success();
            } catch (RuntimeException e) {
                if (SafeErrors.isLeaseLost(e)) {
                    delivery.leaseLost();
                    LOG.log(Level.WARNING, "azqueue: lost the lease on message " + delivery.messageId() + " of '" + queueName
                            + "' (" + errors.describe(e) + "); another consumer may handle it too");
                    return;
                }
                metrics.faults.increment();
                outage.failure(SafeErrors.outageLevel(e), errors.describe(e) + "; retrying with backoff");
            }
        }
        schedule(delivery, started + periodNanos);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        io.shutdownNow();
    }
}
