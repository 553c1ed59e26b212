package io.meshplay.registry.consul;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/** The Consul registry's meters in Helidon's global registry, so /observe/metrics shows them. */
final class ConsulMetrics {

    private static final Tag REGISTRY = Tag.create("registry", "consul");
    /**
     * A gauge is registered once per name and tags for the JVM, but registries come and go (tests, reloads):
     * the gauge reads whichever watcher currently serves the service.
     */
    private static final Map<String, DoubleSupplier> CACHE_AGE = new ConcurrentHashMap<>();

    private ConsulMetrics() {
    }

    static void registration(String service) {
        counter("meshplay.registry.registrations", "Instances registered with the Consul agent", service).increment();
    }

    static void reregistration(String service) {
        counter("meshplay.registry.reregistrations",
                "Instances re-registered by the reconcile loop after the agent lost them (e.g. agent restart)", service).increment();
    }

    static void watchUpdate(String service) {
        counter("meshplay.registry.watch.updates", "Changed healthy-instance lists received by blocking queries", service).increment();
    }

    static void watchError(String service) {
        counter("meshplay.registry.watch.errors", "Failed blocking queries (each retried with backoff)", service).increment();
    }

    static void cacheLookup(String service) {
        counter("meshplay.registry.cache.lookups", "instances() lookups answered from the local cache, without a Consul request",
                service).increment();
    }

    static long count(String name, String service) {
        return Metrics.getCounter(name, tags(service)).map(Counter::count).orElse(0L);
    }

    static void cacheAge(String service, DoubleSupplier secondsSinceContact) {
        boolean first = CACHE_AGE.put(service, secondsSinceContact) == null;
        if (first) {
            Metrics.getOrCreate(Gauge.builder("meshplay.registry.cache.age",
                            () -> CACHE_AGE.getOrDefault(service, () -> 0).getAsDouble())
                    .description("Seconds since the cached instance list of the service was last confirmed by Consul")
                    .baseUnit("seconds")
                    .tags(tags(service)));
        }
    }

    private static Counter counter(String name, String description, String service) {
        return Metrics.getOrCreate(Counter.builder(name).description(description).tags(tags(service)));
    }

    private static List<Tag> tags(String service) {
        return List.of(REGISTRY, Tag.create("service", service));
    }
}
