package io.meshplay.client;


import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Client-side meters, registered in Helidon's global registry so /observe/metrics shows them. */
final class ClientMetrics {

    private static final Map<String, AtomicInteger> RESOLVED = new ConcurrentHashMap<>();

    private ClientMetrics() {
    }

    static Counter calls(String service, String method, String status) {
        return Metrics.getOrCreate(Counter.builder("meshplay.client.calls")
                .description("Client calls completed, by service, method and gRPC status")
                .tags(callTags(service, method, status)));
    }

    static Timer duration(String service, String method, String status) {
        return Metrics.getOrCreate(Timer.builder("meshplay.client.call.duration")
                .description("Client call latency from start to close")
                .baseUnit("seconds")
                // a histogram, not a summary: Prometheus can aggregate buckets across instances
                .publishPercentileHistogram(true)
                .minimumExpectedValue(java.time.Duration.ofNanos(100_000))
                .maximumExpectedValue(java.time.Duration.ofSeconds(30))
                .tags(callTags(service, method, status)));
    }

    private static List<Tag> callTags(String service, String method, String status) {
        return List.of(Tag.create("service", service), Tag.create("method", method), Tag.create("status", status));
    }

    static Counter retries(String service, String method) {
        return Metrics.getOrCreate(Counter.builder("meshplay.client.retries")
                .description("Call attempts retried by the channel's retry policy (UNAVAILABLE on one instance)")
                .tags(List.of(Tag.create("service", service), Tag.create("method", method))));
    }

    static void retry(String service, String method) {
        retries(service, method).increment();
    }

    static void resolverUpdate(String service, int instances) {
        Metrics.getOrCreate(Counter.builder("meshplay.client.resolver.updates")
                .description("Address lists pushed by the registry to the name resolver")
                .tags(List.of(Tag.create("service", service)))).increment();
        RESOLVED.computeIfAbsent(service, s -> {
            AtomicInteger holder = new AtomicInteger();
            Metrics.getOrCreate(Gauge.builder("meshplay.client.resolver.instances", holder::get)
                    .description("Instances the name resolver currently offers the load balancer")
                    .tags(List.of(Tag.create("service", s))));
            return holder;
        }).set(instances);
    }
}
