package io.meshplay.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Row 2, the server: the same ExampleService served by MeshplayServer on each gRPC transport (config/
 * as shipped) and by a plain grpc-java Netty server, loaded by the same grpc-java client at the same
 * concurrency, alternating. Afterwards the slowest side is loaded once more under JFR and its hot
 * methods are reported.
 */
final class ServerBench {

    private ServerBench() {
    }

    static void run(BenchEnv env, ServerSides servers, Row row) {
        BenchPlan plan = env.plan;
        int c = plan.serverConcurrency();
        List<Alternating.Side> sides = ServerSides.ALL.stream()
                .map(side -> new Alternating.Side(side, Clients.unary(servers.channel(side)))).toList();
        Map<String, List<LoadResult>> results = Alternating.unary(sides, c, plan.serverRounds(), plan.warmup(), plan.slot());
        List<LoadResult> n = results.get(ServerSides.NETTY);
        Spread nq = Alternating.spread(n, LoadResult::perSecond);
        Map<String, Object> data = new LinkedHashMap<>();
        String slowest = ServerSides.NETTY;
        double slowestRatio = 1.0;
        for (String side : ServerSides.MESHPLAY) {
            List<LoadResult> m = results.get(side);
            Spread ratio = Alternating.ratio(m, n, LoadResult::perSecond);
            Spread p99 = Alternating.ratio(m, n, LoadResult::p99);
            Spread mq = Alternating.spread(m, LoadResult::perSecond);
            String qps = ratio.format(Spread::ratio) + ": " + Spread.count(mq.median()) + " vs " + Spread.count(nq.median()) + " calls/s";
            if (side.equals(ServerSides.MESHPLAY_NETTY)) {
                row.goal("c=" + c + " QPS " + side + " (default) / grpc-java Netty server", qps, "≥ 1.0×", ratio.median() >= 1.0);
            } else {
                row.info("c=" + c + " QPS " + side + " / grpc-java Netty server", qps + " (before the netty transport: 0.83×)");
            }
            row.info("c=" + c + " p99 " + side + " / grpc-java Netty server",
                    p99.format(Spread::ratio) + ": " + Spread.millis(Alternating.spread(m, LoadResult::p99).median()) + " vs "
                            + Spread.millis(Alternating.spread(n, LoadResult::p99).median()));
            data.put("qpsRatio " + side + " / " + ServerSides.NETTY, ratio.json());
            data.put("p99Ratio " + side + " / " + ServerSides.NETTY, p99.json());
            if (ratio.median() < slowestRatio) {
                slowest = side;
                slowestRatio = ratio.median();
            }
        }

        String profiled = slowest;
        Map<String, Object> profile = JfrProfile.record(servers.child(profiled), env.outDir.resolve("server-profile.jfr"),
                () -> ClosedLoop.run(profiled + " (profiled)", c, plan.profile(), Clients.unary(servers.channel(profiled))));
        Object cpu = profile.get("cpuTimeSample") instanceof Map<?, ?> samples ? samples.get("samples") : null;
        row.info("JFR profile of the slowest side", profiled + ", " + profile.get("executionSamples") + " execution samples"
                + (cpu == null ? "" : " and " + cpu + " CPU-time samples") + "; hot methods below the table and in results.json");
        row.note(JfrProfile.summary("Row 2, hot methods of the slowest side (" + profiled + ") under load at c=" + c, profile));

        data.put("concurrency", c);
        data.put("client", "grpc-java Netty channel, fixed address, same code for every server");
        data.put("jvm", "every server in a child JVM with the same flags (JVM defaults)");
        results.forEach((side, list) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("perSecond", Alternating.spread(list, LoadResult::perSecond).json());
            s.put("p99Micros", Alternating.spread(list, LoadResult::p99).json());
            s.put("rounds", list.stream().map(LoadResult::json).toList());
            data.put(side, s);
        });
        data.put("slowestSide", profiled);
        data.put("profile", profile);
        row.data("server", data);
    }
}
