package io.meshplay.codec;

import io.meshplay.broker.Event;

/** Handles a decoded message; the same ack/nack rules as {@link io.meshplay.broker.Handler}. */
@FunctionalInterface
public interface TypedHandler<T extends com.google.protobuf.Message> {

    void handle(T message, Event event) throws Exception;
}
