package io.meshplay.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Row 2, the server: the same ExampleService served by MeshplayServer (Helidon WebServer, config/ as
 * shipped) and by a plain grpc-java Netty server, loaded by the same grpc-java client at the same
 * concurrency, alternating. Afterwards the slower side is loaded once more under JFR and its hot
 * methods are reported.
 */
final class ServerBench {

    private ServerBench() {
    }

    static void run(BenchEnv env, ServerPair servers, Row row) {
        BenchPlan plan = env.plan;
        int c = plan.serverConcurrency();
        List<Alternating.Side> sides = List.of(
                new Alternating.Side(ServerPair.MESHPLAY, Clients.unary(servers.toMeshplay)),
                new Alternating.Side(ServerPair.NETTY, Clients.unary(servers.toNetty)));
        Map<String, List<LoadResult>> results = Alternating.unary(sides, c, plan.serverRounds(), plan.warmup(), plan.slot());
        List<LoadResult> m = results.get(ServerPair.MESHPLAY);
        List<LoadResult> n = results.get(ServerPair.NETTY);
        Spread ratio = Alternating.ratio(m, n, LoadResult::perSecond);
        Spread p99 = Alternating.ratio(m, n, LoadResult::p99);
        Spread mq = Alternating.spread(m, LoadResult::perSecond);
        Spread nq = Alternating.spread(n, LoadResult::perSecond);
        row.goal("c=" + c + " QPS meshplay server / grpc-java Netty server",
                ratio.format(Spread::ratio) + ": " + Spread.count(mq.median()) + " vs " + Spread.count(nq.median())
                        + " calls/s (baseline before the project: 0.85×)",
                "≥ 1.0×", ratio.median() >= 1.0);
        row.info("c=" + c + " p99 meshplay server / grpc-java Netty server",
                p99.format(Spread::ratio) + ": " + Spread.millis(Alternating.spread(m, LoadResult::p99).median()) + " vs "
                        + Spread.millis(Alternating.spread(n, LoadResult::p99).median()));

        String slower = ratio.median() < 1.0 ? ServerPair.MESHPLAY : ServerPair.NETTY;
        Map<String, Object> profile = JfrProfile.record(servers.child(slower), env.outDir.resolve("server-profile.jfr"),
                () -> ClosedLoop.run(slower + " (profiled)", c, plan.profile(), Clients.unary(servers.channel(slower))));
        Object cpu = profile.get("cpuTimeSample") instanceof Map<?, ?> samples ? samples.get("samples") : null;
        row.info("JFR profile of the slower side", slower + ", " + profile.get("executionSamples") + " execution samples"
                + (cpu == null ? "" : " and " + cpu + " CPU-time samples") + "; hot methods below the table and in results.json");
        row.note(JfrProfile.summary("Row 2, hot methods of the slower side (" + slower + ") under load at c=" + c, profile));

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("concurrency", c);
        data.put("client", "grpc-java Netty channel, fixed address, same code for both servers");
        data.put("jvm", "both servers in child JVMs with the same flags (JVM defaults)");
        data.put("qpsRatioMeshplayToNetty", ratio.json());
        data.put("p99RatioMeshplayToNetty", p99.json());
        results.forEach((side, list) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("perSecond", Alternating.spread(list, LoadResult::perSecond).json());
            s.put("p99Micros", Alternating.spread(list, LoadResult::p99).json());
            s.put("rounds", list.stream().map(LoadResult::json).toList());
            data.put(side, s);
        });
        data.put("slowerSide", slower);
        data.put("profile", profile);
        row.data("server", data);
    }
}
