package io.meshplay.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Row 7, mutual TLS (issue 13): unary QPS and p99 at the server rows' concurrency through meshplay with
 * {@code tls.mode=connect}, through meshplay in plaintext, and through a bare grpc-java pair with static
 * mutual TLS from the same leaf and roots, alternating; then new connections per second (one call on a
 * fresh channel each, so one TCP and TLS handshake each), bounded by time and count, for the same sides.
 * Afterwards the meshplay mTLS server is loaded once more under JFR, steadily and then with a new connection
 * per call (the compared rounds ran without JFR), and its hot methods are noted below the table.
 */
final class TlsBench {

    private TlsBench() {
    }

    static void run(BenchEnv env, Row row) {
        BenchPlan plan = env.plan;
        try (TlsSides sides = TlsSides.start(env)) {
            int c = plan.serverConcurrency();
            List<Alternating.Side> steady = TlsSides.ALL.stream().map(s -> new Alternating.Side(s, sides.unary(s))).toList();
            Map<String, List<LoadResult>> load = Alternating.unary(steady, c, plan.serverRounds(), plan.warmup(), plan.slot());
            Map<String, List<LoadResult>> connections = connections(sides, plan);

            List<LoadResult> mtls = load.get(TlsSides.MTLS);
            qps(row, c, mtls, load.get(TlsSides.PLAIN), TlsSides.PLAIN, "≥ 0.85×", 0.85);
            qps(row, c, mtls, load.get(TlsSides.STATIC), TlsSides.STATIC, "≥ 0.95×", 0.95);
            p99(row, c, mtls, load.get(TlsSides.PLAIN), TlsSides.PLAIN);
            p99(row, c, mtls, load.get(TlsSides.STATIC), TlsSides.STATIC);
            List<LoadResult> newMtls = connections.get(TlsSides.MTLS);
            newConnections(row, plan, newMtls, connections.get(TlsSides.PLAIN), TlsSides.PLAIN);
            newConnections(row, plan, newMtls, connections.get(TlsSides.STATIC), TlsSides.STATIC);
            errors(row, load, connections);
            Map<String, Object> profiles = profile(env, sides, row, c);

            Map<String, Object> data = new LinkedHashMap<>();
            data.put("concurrency", c);
            data.put("sides", Map.of(
                    TlsSides.MTLS, "MeshplayClient (tls.mode=connect, identity " + TlsSides.CLIENT_IDENTITY + ", resolved through Consul) → "
                            + "meshplay server, netty transport, tls.mode=connect (" + TlsSides.CONNECT_SERVICE + ")",
                    TlsSides.PLAIN, "MeshplayClient (tls.mode=off) → meshplay server, netty transport, plaintext (" + TlsSides.PLAIN_SERVICE + ")",
                    TlsSides.STATIC, "grpc-java Netty channel (fixed address, GrpcSslContexts + AdvancedTlsX509TrustManager, "
                            + "certificate-only verification) → grpc-java NettyServerBuilder (GrpcSslContexts.forServer, client auth "
                            + "required), both from PEM files of the agent's leaves for " + TlsSides.CONNECT_SERVICE + " and "
                            + TlsSides.CLIENT_IDENTITY + " and its roots"));
            data.put("connectionsConcurrency", plan.handshakeConcurrency());
            data.put("connectionsCapPerSlot", plan.handshakeCap());
            data.put("unary", perSide(load));
            data.put("newConnections", perSide(connections));
            data.put("profiles", profiles);
            row.data("tls", data);
        }
    }

    /** Where the meshplay mTLS server spends its CPU under steady load and under new connections. */
    private static Map<String, Object> profile(BenchEnv env, TlsSides sides, Row row, int c) {
        BenchPlan plan = env.plan;
        String side = TlsSides.MTLS;
        ChildJvm server = sides.server(side);
        Map<String, Object> steady = JfrProfile.record(server, env.outDir.resolve("tls-profile-steady.jfr"),
                () -> ClosedLoop.run(side + " (profiled)", c, plan.profile(), sides.unary(side)));
        Map<String, Object> connecting = JfrProfile.record(server, env.outDir.resolve("tls-profile-connections.jfr"),
                () -> bounded(side + " (profiled)", plan.handshakeConcurrency(), plan.profile(), Integer.MAX_VALUE,
                        sides.connectionPerCall(side)));
        row.info("JFR profiles of the meshplay mTLS server", "steady c=" + c + " and new connections c=" + plan.handshakeConcurrency()
                + ", " + steady.get("executionSamples") + " and " + connecting.get("executionSamples")
                + " execution samples; hot methods below the table and in results.json");
        row.note(JfrProfile.summary("Row 7, hot methods of the meshplay mTLS (connect) server under steady load at c=" + c, steady));
        row.note(JfrProfile.summary("Row 7, hot methods of the meshplay mTLS (connect) server with a new connection per call, c="
                + plan.handshakeConcurrency(), connecting));
        Map<String, Object> profiles = new LinkedHashMap<>();
        profiles.put("steady", steady);
        profiles.put("newConnections", connecting);
        return profiles;
    }

    /** Alternating rounds of the connection-per-call loop, each slot bounded by time and by a count. */
    private static Map<String, List<LoadResult>> connections(TlsSides sides, BenchPlan plan) {
        int c = plan.handshakeConcurrency();
        for (String side : TlsSides.ALL) {
            bounded(side, c, plan.handshakeSlot(), plan.handshakeCap(), sides.connectionPerCall(side));
        }
        return Alternating.rounds(TlsSides.ALL, plan.handshakeRounds(),
                side -> bounded(side, c, plan.handshakeSlot(), plan.handshakeCap(), sides.connectionPerCall(side)));
    }

    /** A closed loop that ends at {@code slot} or after {@code cap} calls, whichever comes first. */
    static LoadResult bounded(String side, int concurrency, Duration slot, int cap, Supplier<ClosedLoop.Op> ops) {
        AtomicLong deadline = new AtomicLong();
        AtomicLong started = new AtomicLong();
        Supplier<ClosedLoop.Op> counted = () -> {
            ClosedLoop.Op op = ops.get();
            return () -> {
                if (started.incrementAndGet() >= cap) {
                    deadline.set(System.nanoTime());
                }
                op.call();
            };
        };
        return ClosedLoop.run(side, concurrency, counted, deadline, () -> deadline.set(System.nanoTime() + slot.toNanos()));
    }

    private static void qps(Row row, int c, List<LoadResult> mtls, List<LoadResult> other, String otherSide, String goal,
                            double target) {
        Spread ratio = Alternating.ratio(mtls, other, LoadResult::perSecond);
        row.goal("c=" + c + " QPS " + TlsSides.MTLS + " / " + otherSide,
                ratio.format(Spread::ratio) + ": " + Spread.count(Alternating.spread(mtls, LoadResult::perSecond).median()) + " vs "
                        + Spread.count(Alternating.spread(other, LoadResult::perSecond).median()) + " calls/s",
                goal, ratio.median() >= target);
    }

    private static void p99(Row row, int c, List<LoadResult> mtls, List<LoadResult> other, String otherSide) {
        Spread ratio = Alternating.ratio(mtls, other, LoadResult::p99);
        row.info("c=" + c + " p99 " + TlsSides.MTLS + " / " + otherSide,
                ratio.format(Spread::ratio) + ": " + Spread.millis(Alternating.spread(mtls, LoadResult::p99).median()) + " vs "
                        + Spread.millis(Alternating.spread(other, LoadResult::p99).median()));
    }

    private static void newConnections(Row row, BenchPlan plan, List<LoadResult> mtls, List<LoadResult> other, String otherSide) {
        Spread ratio = Alternating.ratio(mtls, other, LoadResult::perSecond);
        row.info("new connections/s (a channel per call, c=" + plan.handshakeConcurrency() + ") " + TlsSides.MTLS + " / " + otherSide,
                ratio.format(Spread::ratio) + ": " + Spread.count(Alternating.spread(mtls, LoadResult::perSecond).median()) + " vs "
                        + Spread.count(Alternating.spread(other, LoadResult::perSecond).median()) + " connections/s");
    }

    /** Failed calls are a finding (a TLS or authorization problem), shown in the table rather than hidden in the JSON. */
    private static void errors(Row row, Map<String, List<LoadResult>> load, Map<String, List<LoadResult>> connections) {
        StringBuilder failed = new StringBuilder();
        for (Map<String, List<LoadResult>> results : List.of(load, connections)) {
            results.forEach((side, list) -> list.stream().filter(r -> r.errors() > 0).findFirst().ifPresent(r -> failed
                    .append(failed.isEmpty() ? "" : "; ").append(side).append(": ")
                    .append(list.stream().mapToLong(LoadResult::errors).sum()).append(" failed, first: ").append(r.firstError())));
        }
        if (!failed.isEmpty()) {
            row.info("failed calls", failed.toString());
        }
    }

    private static Map<String, Object> perSide(Map<String, List<LoadResult>> results) {
        Map<String, Object> data = new LinkedHashMap<>();
        results.forEach((side, list) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("perSecond", Alternating.spread(list, LoadResult::perSecond).json());
            s.put("p99Micros", Alternating.spread(list, LoadResult::p99).json());
            s.put("rounds", list.stream().map(LoadResult::json).toList());
            data.put(side, s);
        });
        return data;
    }
}
