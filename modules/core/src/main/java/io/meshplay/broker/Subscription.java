package io.meshplay.broker;

/**
 * A running subscription. Closing it stops receiving, lets running handlers finish up to the broker's
 * shutdown deadline and hands back messages that were received but not started.
 */
public interface Subscription extends AutoCloseable {

    String topic();

    /** True while the subscription is receiving (for readiness). */
    boolean active();

    @Override
    void close();
}
