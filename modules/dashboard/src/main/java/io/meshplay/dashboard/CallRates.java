package io.meshplay.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryException;
import io.meshplay.registry.ServiceInstance;

/**
 * Calls per second per instance and method, from each instance's own metrics endpoint: every scrape interval the
 * counter {@code grpc_server_call_started_total} of every metrics-tagged healthy instance is read, and the rate is
 * the increase over the last {@value #WINDOW_SCRAPES} reads divided by the time they span (one read apart would
 * jump between 0 and a burst for a method called once a second, such as Consul's health check).
 *
 * <p>Read directly rather than from Prometheus: it needs no Prometheus (nor one whose job labels match), the
 * instance is exactly the registry's (same address), and a rate is at most one scrape interval old where
 * Prometheus' is its scrape interval plus a rate window of two scrapes. Prometheus is linked for the history.
 * Scrapes run only while somebody looks: a request within {@link #IDLE_AFTER} keeps them going.
 */
final class CallRates implements AutoCloseable {

    static final String COUNTER = "grpc_server_call_started_total";
    static final int WINDOW_SCRAPES = 3;
    private static final Duration IDLE_AFTER = Duration.ofMinutes(2);
    private static final System.Logger LOG = System.getLogger(CallRates.class.getName());

    private record Sample(long nanos, Map<String, Double> counters) {
    }

    private final Registry registry;
    private final Duration interval;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Double>> rates = new ConcurrentHashMap<>();
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    private volatile long lastDemandNanos = System.nanoTime();
    private ScheduledExecutorService scheduler;
    private boolean closed;

    CallRates(Registry registry, Duration interval, Duration timeout) {
        this.registry = registry;
        this.interval = interval;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Starts scraping if it is not running; every read of the rates counts as somebody looking. */
    synchronized void demand() {
        lastDemandNanos = System.nanoTime();
        if (scheduler == null && !closed) {
            scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dashboard-rates").factory());
            scheduler.scheduleWithFixedDelay(this::scrapeIfWatched, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Calls per second by method, sorted by method; empty before two scrapes of the instance. */
    Map<String, Double> of(String instanceId) {
        return rates.getOrDefault(instanceId, Map.of());
    }

    /** Why the instance's metrics could not be read at the last scrape, if they could not. */
    String problem(String instanceId) {
        return failing.get(instanceId);
    }

    private void scrapeIfWatched() {
        if (System.nanoTime() - lastDemandNanos > IDLE_AFTER.toNanos()) {
            return;
        }
        try {
            scrape();
        } catch (RuntimeException e) {
            // the next interval tries again; a scheduled task that throws would never run again
            LOG.log(System.Logger.Level.DEBUG, "call-rate scrape failed: " + e);
        }
    }

    void scrape() {
        List<ServiceInstance> targets = new ArrayList<>();
        try {
            for (String service : registry.services()) {
                registry.instances(service).stream().filter(i -> i.tags().contains(InstanceMetadata.METRICS_TAG))
                        .forEach(targets::add);
            }
        } catch (RegistryException e) {
            return;
        }
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (ServiceInstance target : targets) {
            reads.add(read(target));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
                .exceptionally(e -> null).join();
        List<String> known = targets.stream().map(ServiceInstance::id).toList();
        samples.keySet().retainAll(known);
        rates.keySet().retainAll(known);
        failing.keySet().retainAll(known);
    }

    private CompletableFuture<Void> read(ServiceInstance target) {
        URI uri = URI.create("http://" + InstanceMetadata.metricsAddress(target)
                + InstanceMetadata.get(target, InstanceMetadata.METRICS_PATH, InstanceMetadata.DEFAULT_METRICS_PATH));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "text/plain").build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error != null || response.statusCode() != 200) {
                failing.put(target.id(), error != null ? "metrics unreadable: " + error.getClass().getSimpleName()
                        : "metrics answered HTTP " + response.statusCode());
                return null;
            }
            failing.remove(target.id());
            record(target.id(), new Sample(System.nanoTime(), startedCalls(response.body())));
            return null;
        });
    }

    private void record(String instanceId, Sample now) {
        Deque<Sample> window = samples.computeIfAbsent(instanceId, id -> new ArrayDeque<>());
        Sample oldest;
        synchronized (window) {
            window.addLast(now);
            while (window.size() > WINDOW_SCRAPES + 1) {
                window.removeFirst();
            }
            oldest = window.getFirst();
        }
        if (oldest == now) {
            return;
        }
        double seconds = (now.nanos() - oldest.nanos()) / 1e9;
        Map<String, Double> perMethod = new TreeMap<>();
        now.counters().forEach((method, count) -> {
            double increase = count - oldest.counters().getOrDefault(method, 0.0);
            // a restarted instance starts its counters over: no rate rather than a negative one
            perMethod.put(method, increase < 0 || seconds <= 0 ? 0.0 : increase / seconds);
        });
        rates.put(instanceId, Collections.unmodifiableMap(perMethod));
    }

    /** The started-call counters by {@code grpc_method}, summed over the other labels, from Prometheus text. */
    static Map<String, Double> startedCalls(String text) {
        Map<String, Double> counters = new HashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith(COUNTER + "{")) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String method = label(line.substring(COUNTER.length() + 1, Math.max(close, COUNTER.length() + 1)), "grpc_method");
            if (method == null || close < 0) {
                continue;
            }
            String[] rest = line.substring(close + 1).trim().split("\\s+");
            try {
                counters.merge(method, Double.parseDouble(rest[0]), Double::sum);
            } catch (NumberFormatException e) {
                // a line this reader does not understand is left out, not guessed at
            }
        }
        return counters;
    }

    private static String label(String labels, String name) {
        String key = name + "=\"";
        int start = labels.indexOf(key);
        if (start < 0 || (start > 0 && labels.charAt(start - 1) != ',' && labels.charAt(start - 1) != '{')) {
            return null;
        }
        int from = start + key.length();
        int end = labels.indexOf('"', from);
        return end < 0 ? null : labels.substring(from, end);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        http.close();
    }
}
