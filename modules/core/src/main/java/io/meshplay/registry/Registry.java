package io.meshplay.registry;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Service discovery: who is there. Selection (which one now) is grpc-java's load balancer's job,
 * so a registry only answers with the healthy instances and tells watchers when they change.
 *
 * <p>Implementations are thread-safe. {@link #instances(String)} may be served from a local cache
 * kept fresh by the plug-in; it never blocks on the network longer than the plug-in's timeout.
 *
 * <p>What only some registries can do is a capability, asked for with a method that answers
 * {@link Optional#empty()} by default ({@link #inspection()}, {@link #intentions()}). Tools ask for what they need and tell
 * the user when the configured plug-in lacks it, instead of testing the plug-in's class: a wrapping
 * registry (metrics, caching) can forward a capability, which a type check cannot see through, and a
 * plug-in can serve it from an object of its own.
 */
public interface Registry extends AutoCloseable {

    /** The plug-in's config name, e.g. {@code memory} or {@code consul}. */
    String type();

    /** Adds or replaces the instance (same id). */
    void register(ServiceInstance instance);

    /** Removes the instance; unknown instances are ignored. */
    void deregister(ServiceInstance instance);

    /** The healthy instances of a service, possibly empty; never null. */
    List<ServiceInstance> instances(String service);

    /** Names of all services known to the registry. */
    Set<String> services();

    /**
     * Tells {@code listener} the healthy instances of {@code service} now and after every change,
     * until the returned watch is closed. Listeners receive the full list, never a delta.
     */
    Watch watch(String service, RegistryListener listener);

    /**
     * Every registered instance with its health checks, healthy or not, for people and tools; empty when
     * this registry cannot tell more than {@link #instances(String)} does.
     */
    default Optional<RegistryInspection> inspection() {
        return Optional.empty();
    }

    /**
     * Reading and writing who may call whom (Consul's intentions); empty when this registry keeps none.
     */
    default Optional<IntentionAdministration> intentions() {
        return Optional.empty();
    }

    @Override
    void close();
}
