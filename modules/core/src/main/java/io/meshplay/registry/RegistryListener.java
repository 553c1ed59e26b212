package io.meshplay.registry;

import java.util.List;

/** Receives the full list of healthy instances of a watched service whenever it changes. */
@FunctionalInterface
public interface RegistryListener {

    void onChange(List<ServiceInstance> instances);

    /**
     * The registry cannot be reached; the last list given stays valid (last-known-good).
     * Called once per outage, not on every failed attempt.
     */
    default void onError(Throwable error) {
    }
}
