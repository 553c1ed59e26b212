package io.meshplay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.grpc.ManagedChannel;
import io.helidon.config.Config;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;

/**
 * Row 8's sides, each a {@link MeshplayClient} resolving through the bench's Consul and a meshplay server
 * child (netty transport, config/ as shipped): one pair with {@code tracing.enabled=true} (sampler always,
 * exporting to the bench's Zipkin with the default export interval), one with tracing off.
 */
final class TracingSides implements AutoCloseable {

    static final String TRACED = "tracing on";
    static final String UNTRACED = "tracing off";
    static final List<String> ALL = List.of(TRACED, UNTRACED);

    static final String TRACED_SERVICE = "bench-trace-on";
    static final String UNTRACED_SERVICE = "bench-trace-off";
    /** The traced client's app name: the service name of its spans. */
    static final String TRACED_CLIENT = "bench-trace-client";
    static final String UNTRACED_CLIENT = "bench-untraced-client";

    private final Map<String, ChildJvm> servers = new LinkedHashMap<>();
    private final Map<String, MeshplayClient> clients = new LinkedHashMap<>();
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    /** Calls started on the traced side (warm-up and first call included): each makes a client and a server span. */
    private final LongAdder tracedCalls = new LongAdder();

    private TracingSides() {
    }

    static TracingSides start(BenchEnv env, BenchZipkin zipkin) {
        TracingSides sides = new TracingSides();
        try {
            Map<String, String> on = tracing(zipkin);
            // both JVMs start at once (a start is mostly one thread's work; the row measures neither)
            CompletableFuture<ChildJvm> untraced = CompletableFuture.supplyAsync(() -> env.meshplayServer("row8-meshplay-untraced",
                    UNTRACED_SERVICE, "netty", Map.of("tracing.enabled", "false")), r -> Thread.ofPlatform().daemon().start(r));
            try {
                sides.servers.put(TRACED, env.meshplayServer("row8-meshplay-traced", TRACED_SERVICE, "netty", on));
            } finally {
                try {
                    sides.servers.put(UNTRACED, untraced.join());
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
            sides.clients.put(TRACED, MeshplayClient.create(clientConfig(env, on), TRACED_CLIENT));
            sides.clients.put(UNTRACED, MeshplayClient.create(clientConfig(env, Map.of("tracing.enabled", "false")), UNTRACED_CLIENT));
            sides.channels.put(TRACED, sides.clients.get(TRACED).channel(TRACED_SERVICE));
            sides.channels.put(UNTRACED, sides.clients.get(UNTRACED).channel(UNTRACED_SERVICE));
            // usable once Consul's first check passed (staggered up to the check interval)
            sides.tracedCalls.increment();
            sides.channels.values().forEach(c -> Clients.awaitFirstCall(c, 60));
            return sides;
        } catch (RuntimeException e) {
            sides.close();
            throw e;
        }
    }

    /** What turns tracing on, for server and client alike: every call sampled, spans to the bench's Zipkin. */
    static Map<String, String> tracing(BenchZipkin zipkin) {
        return Map.of("tracing.enabled", "true", "tracing.endpoint", zipkin.spansEndpoint(), "tracing.sampler", "always");
    }

    private static Config clientConfig(BenchEnv env, Map<String, String> tracing) {
        Map<String, String> m = new LinkedHashMap<>(tracing);
        m.put("registry.type", "consul");
        m.put("registry.consul.address", env.consul.httpAddress());
        return MeshplayConfig.of(m);
    }

    ChildJvm server(String side) {
        return servers.get(side);
    }

    /** Unary calls on the side's channel; the traced side's are counted. */
    Supplier<ClosedLoop.Op> unary(String side) {
        Supplier<ClosedLoop.Op> ops = Clients.unary(channels.get(side));
        if (!side.equals(TRACED)) {
            return ops;
        }
        return () -> {
            ClosedLoop.Op op = ops.get();
            return () -> {
                tracedCalls.increment();
                op.call();
            };
        };
    }

    long tracedCalls() {
        return tracedCalls.sum();
    }

    /** Closes the clients: the traced one sends the spans still queued (up to 5 s). */
    void closeClients() {
        for (MeshplayClient c : clients.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                System.err.println("bench: row 8 could not close a client: " + e);
            }
        }
        clients.clear();
        channels.clear();
    }

    @Override
    public void close() {
        closeClients();
        new ArrayList<>(servers.values()).forEach(ChildJvm::close);
    }
}
