package io.meshplay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.meshplay.client.MeshplayClient;

/**
 * Row 9, the gateway (issue 16): unary {@code Example/Call} at the server rows' concurrency as JSON over
 * HTTP/1.1 through the gateway app (a child JVM, config/ as shipped) vs the same call made with gRPC directly
 * (a {@link MeshplayClient} resolving the same server through Consul), taking turns. Both reach one meshplay
 * server child; the gateway's own gRPC leg is a meshplay client too, so the difference is the HTTP hop,
 * the JSON transcoding and the extra process.
 */
final class GatewayBench {

    static final String GATEWAY = "gateway (HTTP/JSON)";
    static final String DIRECT = "gRPC direct";
    static final String SERVICE = "bench-gateway-example";

    private GatewayBench() {
    }

    static void run(BenchEnv env, Row row) {
        BenchPlan plan = env.plan;
        int c = plan.serverConcurrency();
        ChildJvm server = env.meshplayServer("row9-meshplay", SERVICE, "netty");
        ChildJvm gateway = env.gatewayApp("row9-gateway", "bench-gateway");
        java.util.List<KeepAliveHttp> connections = new java.util.ArrayList<>();
        try (MeshplayClient client = MeshplayClient.create(Clients.meshplayConfig(env), "bench-gateway-direct")) {
            Supplier<ClosedLoop.Op> viaGateway = json(gateway.observePort(), connections);
            Clients.awaitFirstCall(client.channel(SERVICE), 60);
            awaitGateway(viaGateway, Duration.ofSeconds(60));
            Map<String, List<LoadResult>> rounds = Alternating.unary(List.of(new Alternating.Side(GATEWAY, viaGateway),
                    new Alternating.Side(DIRECT, Clients.unary(client.channel(SERVICE)))), c, plan.serverRounds(), plan.warmup(), plan.slot());
            report(row, c, rounds);
        } finally {
            synchronized (connections) {
                for (KeepAliveHttp connection : connections) {
                    try {
                        connection.close();
                    } catch (IOException e) {
                        // closing; nothing to do
                    }
                }
            }
            gateway.close();
            server.close();
        }
    }

    /** One JSON call per op, each worker on its own keep-alive connection (opened on its first call). */
    private static Supplier<ClosedLoop.Op> json(int port, java.util.List<KeepAliveHttp> opened) {
        String path = "/" + SERVICE + "/Example/Call";
        return () -> {
            KeepAliveHttp[] connection = new KeepAliveHttp[1];
            return () -> {
                try {
                    if (connection[0] == null) {
                        connection[0] = new KeepAliveHttp("127.0.0.1", port);
                        synchronized (opened) {
                            opened.add(connection[0]);
                        }
                    }
                    KeepAliveHttp.Response r = connection[0].post(path, "{\"name\":\"bench\"}");
                    if (r.status() != 200 || !r.body().contains("Hello bench")) {
                        throw new IllegalStateException("gateway answered " + r.status() + ": " + r.body());
                    }
                } catch (IOException e) {
                    if (connection[0] != null) {
                        try {
                            connection[0].close(); // the next call opens a fresh one
                        } catch (IOException ignored) {
                            // it is broken already
                        }
                        connection[0] = null;
                    }
                    throw new UncheckedIOException(e);
                }
            };
        };
    }

    /** Until the gateway's first call succeeds: it sees the server only once Consul's first check passed. */
    private static void awaitGateway(Supplier<ClosedLoop.Op> ops, Duration timeout) {
        ClosedLoop.Op op = ops.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                op.call();
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no call through the gateway succeeded within " + timeout + ": " + e.getMessage(), e);
                }
                ChildJvm.pause(100);
            }
        }
    }

    private static void report(Row row, int c, Map<String, List<LoadResult>> rounds) {
        List<LoadResult> viaGateway = rounds.get(GATEWAY);
        List<LoadResult> direct = rounds.get(DIRECT);
        Spread qps = Alternating.ratio(viaGateway, direct, LoadResult::perSecond);
        Spread p99 = Alternating.ratio(viaGateway, direct, LoadResult::p99);
        row.goal("c=" + c + " QPS " + GATEWAY + " / " + DIRECT,
                qps.format(Spread::ratio) + ": " + Spread.count(Alternating.spread(viaGateway, LoadResult::perSecond).median()) + " vs "
                        + Spread.count(Alternating.spread(direct, LoadResult::perSecond).median()) + " calls/s",
                "≥ 0.5×", qps.median() >= 0.5);
        row.goal("c=" + c + " p99 " + GATEWAY + " / " + DIRECT,
                p99.format(Spread::ratio) + ": " + Spread.millis(Alternating.spread(viaGateway, LoadResult::p99).median()) + " vs "
                        + Spread.millis(Alternating.spread(direct, LoadResult::p99).median()),
                "≤ 2×", p99.median() <= 2.0);
        long failed = rounds.values().stream().flatMap(List::stream).mapToLong(LoadResult::errors).sum();
        if (failed > 0) {
            row.info("failed calls", failed + ", first: " + rounds.values().stream().flatMap(List::stream)
                    .filter(r -> r.firstError() != null).findFirst().map(LoadResult::firstError).orElse("?"));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("concurrency", c);
        data.put("sides", Map.of(GATEWAY, "a blocking HTTP/1.1 keep-alive connection per worker (KeepAliveHttp) POST /" + SERVICE
                        + "/Example/Call {\"name\":\"bench\"} → the gateway app (deploy/local/app gateway) → meshplay server",
                DIRECT, "MeshplayClient on meshplay:///" + SERVICE + " (Consul) → the same meshplay server"));
        data.put("qpsRatio", qps.json());
        data.put("p99Ratio", p99.json());
        rounds.forEach((side, list) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("perSecond", Alternating.spread(list, LoadResult::perSecond).json());
            s.put("p99Micros", Alternating.spread(list, LoadResult::p99).json());
            s.put("rounds", list.stream().map(LoadResult::json).toList());
            data.put(side, s);
        });
        row.data("gateway", data);
    }
}
