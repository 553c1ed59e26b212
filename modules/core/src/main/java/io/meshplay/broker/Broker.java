package io.meshplay.broker;

/**
 * Publish/subscribe with at-least-once delivery: a handler may see a message more than once, never
 * zero times while the broker keeps it.
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

    /** Closes every subscription, then releases the broker's resources. */
    @Override
    void close();
}
