package io.meshplay.broker.azqueue;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

import com.azure.storage.queue.QueueClient;
import io.meshplay.broker.DeliveryPolicy;
import io.meshplay.broker.Event;
import io.meshplay.broker.Handler;
import io.meshplay.broker.Message;
import io.meshplay.broker.Settlement;
import io.meshplay.broker.UndecodableMessageException;
import io.meshplay.retry.OutageLog;

/**
 * What happens to one delivery: decode, hand to the handler, then settle it with the queue as the core
 * {@link DeliveryPolicy} decides. Azure counts receives, not failures, so a message whose consumers kept
 * dying (dequeue count already past {@code max-attempts}) is poisoned before the handler sees it again.
 */
final class DeliveryProcessor {

    private static final System.Logger LOG = System.getLogger(DeliveryProcessor.class.getName());

    private final String queueName;
    private final QueueClient queue;
    private final Handler handler;
    private final String handlerName;
    private final DeliveryPolicy policy;
    private final PoisonQueue poison;
    private final BrokerMetrics metrics;
    private final SafeErrors errors;
    private final OutageLog outage;

    DeliveryProcessor(String queueName, QueueClient queue, Handler handler, String handlerName, DeliveryPolicy policy,
                      PoisonQueue poison, BrokerMetrics metrics, SafeErrors errors) {
        this.queueName = queueName;
        this.queue = queue;
        this.handler = handler;
        this.handlerName = handlerName;
        this.policy = policy;
        this.poison = poison;
        this.metrics = metrics;
        this.errors = errors;
        this.outage = new OutageLog("azqueue: settling messages on queue '" + queueName + "'");
    }

    void process(Delivery delivery) {
        Message message;
        try {
            message = Envelope.decode(delivery.text());
        } catch (UndecodableMessageException e) {
            metrics.decodeFailures.increment();
            poison(delivery, null, policy.rejected(e));
            return;
        }
        Optional<Settlement.Reject> abandoned = policy.beforeHandling(delivery.dequeueCount());
        if (abandoned.isPresent()) {
            poison(delivery, message, abandoned.get());
            return;
        }
        long started = System.nanoTime();
        Settlement settlement = policy.handle(handler, new Event(queueName, message, delivery.dequeueCount()));
        metrics.handled(System.nanoTime() - started);
        switch (settlement) {
            case Settlement.Acknowledge ignored -> acknowledge(delivery);
            case Settlement.Redeliver redeliver -> {
                metrics.failed.increment();
                LOG.log(Level.DEBUG, () -> "azqueue: handler '" + handlerName + "' failed on message " + delivery.messageId()
                        + " of '" + queueName + "' (delivery " + delivery.dequeueCount() + "), retrying in " + redeliver.after()
                        + ": " + errors.redact(String.valueOf(redeliver.error())));
                makeVisible(delivery, redeliver.after());
            }
            case Settlement.Reject reject -> {
                metrics.failed.increment();
                poison(delivery, message, reject);
            }
        }
    }

    /** Hands a held message back: visible again after {@code delay} (zero: at once). */
    void makeVisible(Delivery delivery, Duration delay) {
        // Azure counts visibility in whole seconds; round up so a short backoff is not lost
        Duration seconds = Duration.ofSeconds((delay.toMillis() + 999) / 1000);
        synchronized (delivery) {
            if (delivery.settled() || delivery.isLeaseLost()) {
                return;
            }
            delivery.settle();
            try {
                queue.updateMessage(delivery.messageId(), delivery.popReceipt(), null, seconds);
                outage.success();
            } catch (RuntimeException e) {
                // not fatal: the message becomes visible when its lease lapses
                fault(e, "could not hand back message " + delivery.messageId());
            }
        }
    }

    private void acknowledge(Delivery delivery) {
        synchronized (delivery) {
            delivery.settle();
            if (delete(delivery)) {
                metrics.acked.increment();
            }
        }
    }

    private void poison(Delivery delivery, Message message, Settlement.Reject reject) {
        synchronized (delivery) {
            delivery.settle();
            switch (poison.store(delivery, message, reject, handlerName)) {
                case STORED -> {
                    if (delete(delivery)) {
                        metrics.poisoned.increment();
                    }
                }
                case DROPPED -> {
                    if (delete(delivery)) {
                        metrics.poisonDropped.increment();
                    }
                }
                case KEPT -> {
                    // delivered again after its visibility timeout, and poisoned again
                }
            }
        }
    }

    // the chaos lab saw one delete fail on a connection Azurite had just closed (ClosedChannelException) and the
    // acked message come again; a transient failure is retried while the lease (pop receipt) still holds
    private static final int DELETE_ATTEMPTS = 3;

    private boolean delete(Delivery delivery) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= DELETE_ATTEMPTS; attempt++) {
            try {
                queue.deleteMessage(delivery.messageId(), delivery.popReceipt());
                outage.success();
                return true;
            } catch (RuntimeException e) {
                if (SafeErrors.isLeaseLost(e) || delivery.isLeaseLost()) {
                    LOG.log(Level.WARNING, "azqueue: message " + delivery.messageId() + " of '" + queueName + "' was handled but "
                            + "its lease had lapsed, so it could not be deleted and will be delivered again (at-least-once)");
                    return false;
                }
                last = e;
                if (attempt < DELETE_ATTEMPTS && !backOff(100L * attempt)) {
                    break;
                }
            }
        }
        fault(last, "could not delete message " + delivery.messageId() + "; it will be delivered again");
        return false;
    }

    /** A retry's backoff (not a synchronisation): false when interrupted, i.e. the subscription is closing. */
    private static boolean backOff(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void fault(RuntimeException e, String what) {
        metrics.faults.increment();
        outage.failure(SafeErrors.outageLevel(e), what + ": " + errors.describe(e) + "; retrying with backoff");
    }
}
