package io.meshplay.broker;

/**
 * Handles a delivered message. Returning normally acknowledges it; throwing hands it back to the
 * broker for redelivery by the broker's rules, and {@link PoisonMessageException} sends it to the
 * poison destination at once.
 */
@FunctionalInterface
public interface Handler {

    void handle(Event event) throws Exception;
}
