package io.meshplay.registry;

/** A handle on a registry watch; closing it stops the notifications. */
@FunctionalInterface
public interface Watch extends AutoCloseable {

    @Override
    void close();
}
