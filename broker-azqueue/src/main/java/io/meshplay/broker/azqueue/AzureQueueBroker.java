package io.meshplay.broker.azqueue;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import com.azure.storage.queue.QueueClient;
import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerException;
import io.meshplay.broker.DeliveryPolicy;
import io.meshplay.broker.Handler;
import io.meshplay.broker.Message;
import io.meshplay.broker.PublishOptions;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueBrowsing;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;

/**
 * Azure Storage Queues as a broker: a topic is a queue, subscribers on the same queue compete for
 * its messages, delivery is at-least-once with a {@code <queue>-poison} queue for messages that
 * cannot be handled. See the module README for the envelope and the poison format.
 */
public final class AzureQueueBroker implements Broker {

    private static final System.Logger LOG = System.getLogger(AzureQueueBroker.class.getName());
    private static final Duration MAX_DELAY = Duration.ofDays(7);

    private final AzureQueueOptions options;
    private final SafeErrors errors;
    private final QueueConnection connection;
    private final AzureQueueAdministration administration;
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    /** One creation per queue at a time: the chaos lab's first 45 publishes each created the queue (and said so). */
    private final Map<String, ReentrantLock> creating = new ConcurrentHashMap<>();
    private final List<QueueSubscriber> subscribers = new CopyOnWriteArrayList<>();
    // two steps: no new subscription once close begins, but handlers still draining may publish until it ends
    private volatile boolean closing;
    private volatile boolean closed;

    public AzureQueueBroker(AzureQueueOptions options) {
        AzureSdkLogging.quiet();
        this.options = options;
        this.errors = new SafeErrors(options.secrets());
        this.connection = new QueueConnection(options, errors);
        this.administration = new AzureQueueAdministration(connection, errors, options.requestTimeout(), this::ensureOpen);
        LOG.log(Level.DEBUG, () -> "azqueue: " + options);
    }

    @Override
    public String type() {
        return AzureQueueBrokerProvider.TYPE;
    }

    public AzureQueueOptions options() {
        return options;
    }

    /**
     * Sends {@code message} to queue {@code topic} in the envelope, adding {@code message-id} and
     * {@code published-at} headers when the publisher did not set them.
     *
     * @throws IllegalArgumentException for an invalid queue name or a message over Azure's 64 KiB
     * @throws BrokerException when the service refuses or cannot be reached (after the SDK's retries)
     */
    @Override
    public void publish(String topic, Message message, PublishOptions publishOptions) {
        ensureOpen();
        QueueNames.validate(topic);
        String text = Envelope.encode(message.stamped());
        int size = Envelope.size(text);
        if (size > Envelope.MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("message for queue '" + topic + "' is " + size + " bytes once encoded; Azure "
                    + "queues take at most " + Envelope.MAX_TEXT_BYTES + " (the body is base64, so about 48 KiB of body)");
        }
        Duration delay = publishOptions.visibilityDelay();
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("visibility delay " + delay + " is outside 0..7 days");
        }
        Duration ttl = publishOptions.timeToLive().or(options::timeToLive).orElse(null);
        send(topic, text, delay.isZero() ? null : delay, ttl);
    }

    @Override
    public Subscription subscribe(String topic, Handler handler, SubscribeOptions subscribeOptions) {
        if (closing) {
            throw new IllegalStateException("the azqueue broker is closed");
        }
        QueueNames.validateSubscribed(topic);
        try {
            ensureQueue(topic, false);
        } catch (AccessDeniedException e) {
            // a wrong key or missing permission does not heal: say so now instead of logging it forever
            throw e;
        } catch (BrokerException e) {
            LOG.log(Level.WARNING, "azqueue: subscribing to '" + topic + "' while the queue service is unreachable ("
                    + e.getMessage() + "); the subscriber keeps retrying");
        }
        QueueSubscriber subscriber = new QueueSubscriber(this, topic, connection.queue(topic), handler, subscribeOptions, options, errors);
        subscribers.add(subscriber);
        subscriber.start();
        return subscriber;
    }

    /** Queue lengths, receive+delete and clear on this broker's queues; never creates a queue. */
    @Override
    public Optional<QueueAdministration> queueAdministration() {
        return Optional.of(administration);
    }

    @Override
    public Optional<DeliveryPolicy> deliveryPolicy() {
        return Optional.of(options.deliveryPolicy());
    }

    /** Azure's peek: it neither dequeues nor hides a message. */
    @Override
    public Optional<QueueBrowsing> queueBrowsing() {
        return Optional.of(administration);
    }

    /**
     * Closes every subscription (each waits for its running handlers up to shutdown-timeout); after that
     * publishing and the queue capabilities refuse with an {@link IllegalStateException}.
     */
    @Override
    public void close() {
        closing = true;
        subscribers.parallelStream().forEach(QueueSubscriber::close);
        subscribers.clear();
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the azqueue broker is closed");
        }
    }

    /** Sends raw queue text; for publish and the poison queue. */
    void send(String queue, String text, Duration delay, Duration ttl) {
        ensureQueue(queue, false);
        QueueClient client = connection.queue(queue);
        try {
            client.sendMessageWithResponse(text, delay, ttl, null, null);
        } catch (RuntimeException e) {
            if (!(SafeErrors.isQueueNotFound(e) && options.createQueues())) {
                throw failure(queue, "send to queue '" + queue + "'", e);
            }
            // deleted behind our back (or Azurite restarted without its data): create it again, once
            ensureQueue(queue, true);
            try {
                client.sendMessageWithResponse(text, delay, ttl, null, null);
            } catch (RuntimeException again) {
                throw failure(queue, "send to queue '" + queue + "'", again);
            }
        }
        BrokerMetrics.of(queue).published.increment();
    }

    /**
     * Creates the queue if {@code create-queues} is on and this broker has not done so yet (or
     * {@code force}, after the service said it is missing); otherwise only checks access.
     */
    void ensureQueue(String queue, boolean force) {
        if (!force && created.contains(queue)) {
            return;
        }
        ReentrantLock lock = creating.computeIfAbsent(queue, q -> new ReentrantLock());
        lock.lock();
        try {
            if (!force && created.contains(queue)) {
                return;
            }
            createOrCheck(queue);
        } finally {
            lock.unlock();
        }
    }

    private void createOrCheck(String queue) {
        QueueClient client = connection.queue(queue);
        try {
            if (options.createQueues()) {
                if (client.createIfNotExists()) {
                    LOG.log(Level.INFO, "azqueue: created queue '" + queue + "'");
                }
            } else {
                client.getProperties();
            }
            created.add(queue);
        } catch (RuntimeException e) {
            if (!options.createQueues() && SafeErrors.isQueueNotFound(e)) {
                throw new BrokerException("queue '" + queue + "' does not exist and broker.azqueue.create-queues is false; "
                        + "create it or set create-queues: true");
            }
            throw failure(queue, (options.createQueues() ? "create queue '" : "check queue '") + queue + "'", e);
        }
    }

    void forget(QueueSubscriber subscriber) {
        subscribers.remove(subscriber);
    }

    private BrokerException failure(String queue, String what, RuntimeException e) {
        String message = "azqueue: cannot " + what + ": " + explain(queue, e);
        if (SafeErrors.isAuthFailure(e)) {
            return new AccessDeniedException(message, errors.sanitized(e));
        }
        if (SafeErrors.isRefusedForGood(e)) {
            return new RefusedException(message, errors.sanitized(e));
        }
        return new BrokerException(message, errors.sanitized(e));
    }

    /**
     * What went wrong with a request on {@code queue}, in one line a user can act on and without secrets:
     * an unreachable service and refused credentials name the endpoint (and account), not an SDK class.
     */
    String explain(String queue, RuntimeException e) {
        if (SafeErrors.isUnreachable(e)) {
            return "the Azure Storage queue service at " + connection.endpoint(queue) + " is unreachable (" + errors.networkReason(e) + ")";
        }
        if (SafeErrors.isAuthFailure(e)) {
            return errors.describe(e) + " (account '" + connection.account(queue) + "' at " + connection.endpoint(queue) + ")";
        }
        return errors.describe(e) + " (queue service at " + connection.endpoint(queue) + ")";
    }

    /** The service refused this message for good (HTTP 413 or 400): sending the same text again will not help. */
    static final class RefusedException extends BrokerException {
        RefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The service refused the credentials (HTTP 401/403): retrying will not help. */
    public static final class AccessDeniedException extends BrokerException {
        AccessDeniedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
