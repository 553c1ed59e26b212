package io.meshplay.broker;

import java.util.Optional;

/**
 * Publish/subscribe with at-least-once delivery: a handler may see a message more than once, never
 * zero times while the broker keeps it.
 *
 * <p>What only some brokers can do is a capability, asked for with a method that answers
 * {@link Optional#empty()} by default ({@link #queueAdministration()}, {@link #queueBrowsing()}). Tools
 * ask for what they need and tell the user when the configured plug-in lacks it, instead of testing the
 * plug-in's class: a wrapping broker (metrics, tracing) can forward a capability, which a type check
 * cannot see through, and a plug-in can serve it from an object of its own.
 */
public interface Broker extends AutoCloseable {

    /** The plug-in's config name, e.g. {@code memory} or {@code azqueue}. */
    String type();

    default void publish(String topic, Message message) {
        publish(topic, message, PublishOptions.DEFAULT);
    }

    void publish(String topic, Message message, PublishOptions options);

    Subscription subscribe(String topic, Handler handler, SubscribeOptions options);

    default Subscription subscribe(String topic, Handler handler) {
        return subscribe(topic, handler, SubscribeOptions.defaults());
    }

    /** Queue lengths, taking messages off a queue outside a subscription, purging; empty when unsupported. */
    default Optional<QueueAdministration> queueAdministration() {
        return Optional.empty();
    }

    /** Looking at queued messages without consuming them; empty when the broker cannot. */
    default Optional<QueueBrowsing> queueBrowsing() {
        return Optional.empty();
    }

    /**
     * The rules this broker redelivers and poisons by, for wrappers that report what becomes of a delivery
     * (tracing); empty when the broker does not follow {@link DeliveryPolicy}.
     */
    default Optional<DeliveryPolicy> deliveryPolicy() {
        return Optional.empty();
    }

    /** Closes every subscription, then releases the broker's resources. */
    @Override
    void close();
}
