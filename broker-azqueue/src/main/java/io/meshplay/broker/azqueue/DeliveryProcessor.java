package io.meshplay.broker.azqueue;

import java.lang.System.Logger.Level;
import java.time.Duration;

import com.azure.storage.queue.QueueClient;
import io.meshplay.broker.Event;
import io.meshplay.broker.Handler;
import io.meshplay.broker.Message;
import io.meshplay.broker.PoisonMessageException;

/**
 * What happens to one delivery: decode, hand to the handler, then settle it with the queue.
 * Success deletes; failure makes the message visible again after a backoff that doubles with each
 * delivery; the {@code max-dequeue-count}th failure, a {@link PoisonMessageException} or an
 * undecodable text moves it to the poison queue. A message whose consumers kept dying (dequeue
 * count already past the maximum) is poisoned before the handler sees it again.
 */
final class DeliveryProcessor {

    private static final System.Logger LOG = System.getLogger(DeliveryProcessor.class.getName());

    private final String queueName;
    private final QueueClient queue;
    private final Handler handler;
    private final String handlerName;
    private final AzureQueueOptions options;
    private final PoisonQueue poison;
    private final BrokerMetrics metrics;
    private final SafeErrors errors;
    private final OutageLog outage;

    DeliveryProcessor(String queueName, QueueClient queue, Handler handler, String handlerName, AzureQueueOptions options,
                      PoisonQueue poison, BrokerMetrics metrics, SafeErrors errors) {
        this.queueName = queueName;
        this.queue = queue;
        this.handler = handler;
        this.handlerName = handlerName;
        this.options = options;
        this.poison = poison;
        this.metrics = metrics;
        this.errors = errors;
        this.outage = new OutageLog("settling messages on queue '" + queueName + "'");
    }

    void process(Delivery delivery) {
        Message message;
        try {
            message = Envelope.decode(delivery.text());
        } catch (UndecodableMessageException e) {
            metrics.decodeFailures.increment();
            poison(delivery, null, "undecodable message: " + e.getMessage(), e);
            return;
        }
        if (delivery.dequeueCount() > options.maxDequeueCount()) {
            poison(delivery, message, "delivered " + delivery.dequeueCount() + " times without being settled "
                    + "(consumers stopped or crashed while handling it); max-dequeue-count is " + options.maxDequeueCount(), null);
            return;
        }
        long started = System.nanoTime();
        try {
            handler.handle(new Event(queueName, message, delivery.dequeueCount()));
            metrics.handled(System.nanoTime() - started);
            acknowledge(delivery);
        } catch (PoisonMessageException e) {
            metrics.handled(System.nanoTime() - started);
            metrics.failed.increment();
            poison(delivery, message, "handler rejected the message: " + e.getMessage(), e);
        } catch (Exception | Error e) {
            metrics.handled(System.nanoTime() - started);
            metrics.failed.increment();
            if (delivery.dequeueCount() >= options.maxDequeueCount()) {
                poison(delivery, message, "handler failed " + delivery.dequeueCount() + " times (max-dequeue-count "
                        + options.maxDequeueCount() + ")", e);
            } else {
                Duration backoff = backoff(delivery.dequeueCount());
                LOG.log(Level.DEBUG, () -> "azqueue: handler '" + handlerName + "' failed on message " + delivery.messageId()
                        + " of '" + queueName + "' (delivery " + delivery.dequeueCount() + "), retrying in " + backoff + ": " + e);
                makeVisible(delivery, backoff);
            }
        }
    }

    /** The pause before a failed message is delivered again: retry-backoff doubled per delivery, capped. */
    Duration backoff(long dequeueCount) {
        Duration base = options.retryBackoff();
        int shift = (int) Math.min(30, Math.max(0, dequeueCount - 1));
        Duration backoff = base.multipliedBy(1L << shift);
        return backoff.compareTo(options.maxRetryBackoff()) > 0 ? options.maxRetryBackoff() : backoff;
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

    private void poison(Delivery delivery, Message message, String reason, Throwable error) {
        synchronized (delivery) {
            delivery.settle();
            if (poison.store(delivery, message, reason, handlerName, error) && delete(delivery)) {
                metrics.poisoned.increment();
            }
        }
    }

    private boolean delete(Delivery delivery) {
        try {
            queue.deleteMessage(delivery.messageId(), delivery.popReceipt());
            outage.success();
            return true;
        } catch (RuntimeException e) {
            if (SafeErrors.isLeaseLost(e) || delivery.isLeaseLost()) {
                LOG.log(Level.WARNING, "azqueue: message " + delivery.messageId() + " of '" + queueName + "' was handled but "
                        + "its lease had lapsed, so it could not be deleted and will be delivered again (at-least-once)");
            } else {
                fault(e, "could not delete message " + delivery.messageId() + "; it will be delivered again");
            }
            return false;
        }
    }

    private void fault(RuntimeException e, String what) {
        metrics.faults.increment();
        outage.failure(what + ": " + errors.describe(e), SafeErrors.isAuthFailure(e));
    }
}
