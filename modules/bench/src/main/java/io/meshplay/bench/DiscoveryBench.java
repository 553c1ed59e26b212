package io.meshplay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.grpc.ManagedChannel;
import io.helidon.webclient.grpc.GrpcClient;
import io.meshplay.client.MeshplayClient;
import io.meshplay.testing.Ports;

/**
 * Row 1, discovery overhead: unary {@code Example/Call} through meshplay's client (a grpc-java channel on
 * {@code meshplay:///example}, resolved through Consul, with meshplay's retry/outlier service config and
 * metrics interceptor) against a grpc-java channel and Helidon's GrpcClient, both with a fixed address,
 * all calling the same meshplay server child at concurrency 1, 16 and 64.
 */
final class DiscoveryBench {

    static final String RESOLVED = "meshplay client (consul)";
    static final String FIXED = "grpc-java fixed";
    static final String HELIDON = "Helidon GrpcClient fixed";
    /** At the reference concurrency only: variants of the client beside the sides, to split its cost. */
    private static final int SPLIT_AT = 16;

    private DiscoveryBench() {
    }

    static void run(BenchEnv env, Row row) {
        BenchPlan plan = env.plan;
        ServerPorts ports = ServerPorts.free();
        int port = ports.grpc();
        try (ChildJvm server = env.meshplayServer("row1-meshplay-server", "example", "netty", ports);
             MeshplayClient client = MeshplayClient.create(Clients.meshplayConfig(env))) {
            ManagedChannel resolved = client.channel("example");
            ManagedChannel fixed = Clients.fixed(port);
            GrpcClient helidon = Clients.helidon(port);
            try (ClientCostSplit split = ClientCostSplit.open(env, client, "example")) {
                // the instance is usable once Consul's first gRPC check passed (staggered up to the check interval)
                Clients.awaitFirstCall(resolved, 30);
                Clients.awaitFirstCall(fixed, 30);
                List<Alternating.Side> sides = List.of(
                        new Alternating.Side(RESOLVED, Clients.unary(resolved)),
                        new Alternating.Side(FIXED, Clients.unary(fixed)),
                        new Alternating.Side(HELIDON, Clients.unary(helidon.channel())));
                Map<String, Object> levels = new LinkedHashMap<>();
                boolean first = true;
                for (int c : plan.concurrencies()) {
                    // the split's variants are new at this level: they get the first level's full warm-up
                    Duration warmup = first || c == SPLIT_AT ? plan.warmup() : plan.levelWarmup();
                    first = false;
                    long twBefore = Clients.timeWaitSockets();
                    List<Alternating.Side> levelSides = new ArrayList<>(sides);
                    if (c == SPLIT_AT) {
                        levelSides.addAll(split.sides("example"));
                    }
                    Map<String, List<LoadResult>> results = Alternating.unary(levelSides, c, plan.rounds(), warmup, plan.slot());
                    levels.put("c" + c, level(row, c, results, twBefore));
                }
                row.data("registry", "consul " + env.consul.version() + " (" + env.consul.httpAddress() + ")");
                row.data("server", "meshplay server child (config/ as shipped, JVM defaults), port " + port);
                row.data("levels", levels);
            } finally {
                Clients.close(fixed);
            }
        }
    }

    private static Map<String, Object> level(Row row, int c, Map<String, List<LoadResult>> results, long twBefore) {
        List<LoadResult> r = results.get(RESOLVED);
        List<LoadResult> f = results.get(FIXED);
        List<LoadResult> h = results.get(HELIDON);
        Spread qpsRatio = Alternating.ratio(r, f, LoadResult::perSecond);
        Spread p99Ratio = Alternating.ratio(r, f, LoadResult::p99);
        Spread rq = Alternating.spread(r, LoadResult::perSecond);
        Spread fq = Alternating.spread(f, LoadResult::perSecond);
        Spread hq = Alternating.spread(h, LoadResult::perSecond);
        long resolvedErrors = r.stream().mapToLong(LoadResult::errors).sum();
        long fixedErrors = f.stream().mapToLong(LoadResult::errors).sum();
        long helidonErrors = h.stream().mapToLong(LoadResult::errors).sum();
        String at = "c=" + c + " ";
        row.goal(at + "QPS meshplay (consul) / grpc-java fixed",
                qpsRatio.format(Spread::ratio) + ": " + Spread.count(rq.median()) + " vs " + Spread.count(fq.median()) + " calls/s"
                        + (resolvedErrors + fixedErrors > 0 ? " (" + resolvedErrors + "/" + fixedErrors + " errors)" : ""),
                "≥ 0.95×", qpsRatio.median() >= 0.95 && resolvedErrors == 0);
        row.goal(at + "p99 meshplay (consul) / grpc-java fixed",
                p99Ratio.format(Spread::ratio) + ": " + Spread.millis(Alternating.spread(r, LoadResult::p99).median()) + " vs "
                        + Spread.millis(Alternating.spread(f, LoadResult::p99).median()),
                "≤ 1.1×", p99Ratio.median() <= 1.1);
        row.info(at + "Helidon GrpcClient (fixed)",
                Spread.count(hq.median()) + " calls/s (" + Spread.ratio(Alternating.ratio(h, f, LoadResult::perSecond).median())
                        + " grpc-java), p50 " + Spread.millis(Alternating.spread(h, LoadResult::p50).median()) + ", p99 "
                        + Spread.millis(Alternating.spread(h, LoadResult::p99).median()) + ", " + helidonErrors + " errors"
                        + (helidonErrors > 0 ? " (" + h.stream().map(LoadResult::firstError).filter(java.util.Objects::nonNull)
                        .findFirst().orElse("") + ")" : ""));
        if (results.containsKey(ClientCostSplit.RESOLVER_ONLY)) {
            ClientCostSplit.report(row, at, results, RESOLVED, FIXED);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("qpsRatioResolvedToFixed", qpsRatio.json());
        m.put("p99RatioResolvedToFixed", p99Ratio.json());
        m.put("qpsRatioHelidonToFixed", Alternating.ratio(h, f, LoadResult::perSecond).json());
        results.forEach((side, list) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("perSecond", Alternating.spread(list, LoadResult::perSecond).json());
            s.put("p50Micros", Alternating.spread(list, LoadResult::p50).json());
            s.put("p99Micros", Alternating.spread(list, LoadResult::p99).json());
            s.put("errors", list.stream().mapToLong(LoadResult::errors).sum());
            s.put("rounds", list.stream().map(LoadResult::json).toList());
            m.put(side, s);
        });
        m.put("timeWaitSocketsBefore", twBefore);
        m.put("timeWaitSocketsAfter", Clients.timeWaitSockets());
        return m;
    }
}
