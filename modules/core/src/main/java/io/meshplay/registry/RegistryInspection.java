package io.meshplay.registry;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * A registry as people and tools see it (the CLI, a status page), not as routing does: every
 * registered instance, healthy or not, with the checks that make it so. {@link Registry#instances}
 * answers "whom may I call now", from a cache and healthy ones only; this answers "what is registered
 * and why is it (not) healthy", asking the registry's source of truth on every call.
 *
 * <p>A capability: a registry that offers it returns it from {@link Registry#inspection()}. It lives
 * as long as that registry (closing the registry ends it) and is as thread-safe. Failures are
 * {@link RegistryException}s whose messages never contain credentials.
 */
public interface RegistryInspection {

    /** Every service with at least one registered instance, healthy or not, in name order. */
    SortedSet<String> services();

    /** Every instance of {@code service} with its health, sorted by id; empty when there is none. */
    List<InstanceHealth> instances(String service);

    /**
     * Where this view reads from, for messages a person reads, e.g. {@code Consul at http://127.0.0.1:8500}.
     * Never contains a secret.
     */
    String description();

    /**
     * What may hide registered services from this view, for a person puzzled by an empty answer: e.g. a
     * registry with access control that leaves out what the configured token may not read, without an
     * error. Empty when nothing hides them, or when it cannot tell. May ask the registry, so call it only
     * when an answer is empty. Never contains a secret.
     */
    default Optional<String> hidingNote() {
        return Optional.empty();
    }
}
