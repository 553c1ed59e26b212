package io.meshplay.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Row 8, tracing: unary QPS and p99 at the server rows' concurrency through a meshplay client and server
 * with tracing on (every call sampled, spans exported to the bench's Zipkin) and with tracing off, taking
 * turns. Each round also records the CPU time the bench JVM (the clients), the side's server child and
 * Zipkin used, so the cost can be placed. Afterwards the clients are closed (the traced one flushes) and
 * Zipkin's collector counters are read until they settle: a traced side whose spans did not arrive fails
 * the row, as does an untraced side that exported any.
 */
final class TracingBench {

    /** One round of one side, with the CPU seconds each process spent during it. */
    record Round(LoadResult load, double clientCpu, double serverCpu, double zipkinCpu, long spansArrived) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>(load.json());
            m.put("zipkinSpansArrivedDuringRound", spansArrived);
            m.put("benchJvmCpuSeconds", Spread.round(clientCpu));
            m.put("serverCpuSeconds", Spread.round(serverCpu));
            m.put("zipkinCpuSeconds", Spread.round(zipkinCpu));
            return m;
        }

        double perCallMicros(double cpuSeconds) {
            return load.calls() == 0 ? Double.NaN : cpuSeconds * 1e6 / load.calls();
        }
    }

    /** Traces sampled per traced service to tell whose spans were lost. */
    private static final int SAMPLE_TRACES = 1000;

    private TracingBench() {
    }

    static void run(BenchEnv env, Row row) {
        BenchPlan plan = env.plan;
        BenchZipkin zipkin = env.zipkin();
        int c = plan.serverConcurrency();
        long spansBefore = zipkin.collector().get("spans");
        Map<String, List<Round>> rounds;
        Map<String, Object> profile;
        long expected;
        try (TracingSides sides = TracingSides.start(env, zipkin)) {
            for (String side : TracingSides.ALL) {
                ClosedLoop.run(side, c, plan.warmup(), sides.unary(side));
            }
            long self = ProcessHandle.current().pid();
            rounds = Alternating.rounds(TracingSides.ALL, plan.serverRounds(), side -> {
                long server = sides.server(side).pid();
                double c0 = BenchZipkin.Cpu.seconds(self);
                double s0 = BenchZipkin.Cpu.seconds(server);
                double z0 = zipkin.cpuSeconds();
                long n0 = zipkin.collector().get("spans");
                LoadResult r = ClosedLoop.run(side, c, plan.slot(), sides.unary(side));
                return new Round(r, BenchZipkin.Cpu.seconds(self) - c0, BenchZipkin.Cpu.seconds(server) - s0,
                        zipkin.cpuSeconds() - z0, zipkin.collector().get("spans") - n0);
            });
            // after the compared rounds, so they ran without it: where the traced server spends its time
            profile = JfrProfile.record(sides.server(TracingSides.TRACED), env.outDir.resolve("tracing-profile.jfr"),
                    () -> ClosedLoop.run(TracingSides.TRACED + " (profiled)", c, plan.profile(), sides.unary(TracingSides.TRACED)));
            row.note(JfrProfile.summary("Row 8, hot methods of the meshplay server with tracing on, c=" + c, profile));
            long t0 = System.nanoTime();
            sides.closeClients();
            expected = 2 * sides.tracedCalls();
            Map<String, Object> arrival = awaitSpans(zipkin, spansBefore, expected, t0);
            report(row, c, rounds, zipkin, arrival, expected);
        }
    }

    /**
     * Polls Zipkin's collector until it has the expected spans, or its count stopped moving for 1.5 s after the
     * servers' batch delay (2 s) had passed, or 30 s. Returns the counters and how long the spans took to settle.
     */
    private static Map<String, Object> awaitSpans(BenchZipkin zipkin, long before, long expected, long t0) {
        long last = -1;
        long lastChange = System.nanoTime();
        Map<String, Long> counters;
        while (true) {
            counters = zipkin.collector();
            long spans = counters.get("spans") - before;
            long now = System.nanoTime();
            if (spans != last) {
                last = spans;
                lastChange = now;
            }
            double elapsed = (now - t0) / 1e9;
            if (spans >= expected || elapsed > 30 || (elapsed > 2.5 && (now - lastChange) / 1e9 >= 1.5)) {
                break;
            }
            ChildJvm.pause(250);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("collector", counters);
        m.put("spansThisRow", last);
        m.put("settleSeconds", Spread.round((lastChange - t0) / 1e9));
        return m;
    }

    private static void report(Row row, int c, Map<String, List<Round>> rounds, BenchZipkin zipkin, Map<String, Object> arrival,
                               long expected) {
        List<LoadResult> on = rounds.get(TracingSides.TRACED).stream().map(Round::load).toList();
        List<LoadResult> off = rounds.get(TracingSides.UNTRACED).stream().map(Round::load).toList();
        Spread qps = Alternating.ratio(on, off, LoadResult::perSecond);
        Spread p99 = Alternating.ratio(on, off, LoadResult::p99);
        row.goal("c=" + c + " QPS " + TracingSides.TRACED + " / " + TracingSides.UNTRACED,
                qps.format(Spread::ratio) + ": " + Spread.count(Alternating.spread(on, LoadResult::perSecond).median()) + " vs "
                        + Spread.count(Alternating.spread(off, LoadResult::perSecond).median()) + " calls/s",
                "≥ 0.9×", qps.median() >= 0.9);
        row.goal("c=" + c + " p99 " + TracingSides.TRACED + " / " + TracingSides.UNTRACED,
                p99.format(Spread::ratio) + ": " + Spread.millis(Alternating.spread(on, LoadResult::p99).median()) + " vs "
                        + Spread.millis(Alternating.spread(off, LoadResult::p99).median()),
                "≤ 1.2×", p99.median() <= 1.2);

        @SuppressWarnings("unchecked")
        Map<String, Long> collector = (Map<String, Long>) arrival.get("collector");
        long received = (long) arrival.get("spansThisRow");
        long lost = Math.max(0, expected - received);
        List<String> services = zipkin.services();
        Split split = split(zipkin);
        String spans = received + " of " + expected + " expected (a client and a server span per traced call), "
                + lost + " lost before Zipkin (" + percent(lost, expected) + "), " + collector.getOrDefault("spans_dropped", 0L)
                + " dropped by Zipkin's collector; " + collector.getOrDefault("messages", 0L) + " POSTs in all; settled "
                + Spread.seconds((double) arrival.get("settleSeconds")) + " after the load; of the " + split.traces()
                + " newest traces, " + split.both() + " hold both the client's and the server's span, " + split.clientOnly()
                + " only the client's, " + split.serverOnly() + " only the server's";
        row.info("spans in the bench's Zipkin", spans);
        row.info("CPU per call, " + TracingSides.TRACED + " vs " + TracingSides.UNTRACED,
                "clients (bench JVM) " + cpu(rounds, Round::clientCpu) + ", server " + cpu(rounds, Round::serverCpu)
                        + ", Zipkin " + micros(median(rounds.get(TracingSides.TRACED), Round::zipkinCpu)) + " vs "
                        + micros(median(rounds.get(TracingSides.UNTRACED), Round::zipkinCpu))
                        + " (Zipkin shares the 2 cores: its CPU is part of the traced side's cost here)");
        long failed = rounds.values().stream().flatMap(List::stream).mapToLong(r -> r.load().errors()).sum();
        if (failed > 0) {
            row.info("failed calls", failed + ", first: " + rounds.values().stream().flatMap(List::stream)
                    .filter(r -> r.load().firstError() != null).findFirst().map(r -> r.load().firstError()).orElse("?"));
        }
        row.note("Row 8, spans: " + spans + "; services Zipkin saw: " + services);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("concurrency", c);
        data.put("sides", Map.of(
                TracingSides.TRACED, "MeshplayClient (" + TracingSides.TRACED_CLIENT + ", tracing.enabled=true, sampler always, "
                        + "resolved through Consul) → meshplay server, netty transport, tracing on (" + TracingSides.TRACED_SERVICE
                        + "), both exporting to the bench's Zipkin " + zipkin.spansEndpoint() + " with the default export interval",
                TracingSides.UNTRACED, "the same client and server with tracing.enabled=false (" + TracingSides.UNTRACED_SERVICE + ")"));
        data.put("qpsRatio", qps.json());
        data.put("p99Ratio", p99.json());
        Map<String, Object> z = new LinkedHashMap<>();
        z.put("expectedSpans", expected);
        z.put("receivedSpans", received);
        z.put("lostSpans", lost);
        z.put("collector", collector);
        z.put("settleSeconds", arrival.get("settleSeconds"));
        z.put("services", services);
        z.put("sampleTraces", split.json());
        z.put("memMaxSpans", BenchZipkin.MAX_SPANS);
        data.put("zipkin", z);
        rounds.forEach((side, list) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            List<LoadResult> loads = list.stream().map(Round::load).toList();
            s.put("perSecond", Alternating.spread(loads, LoadResult::perSecond).json());
            s.put("p99Micros", Alternating.spread(loads, LoadResult::p99).json());
            s.put("benchJvmCpuMicrosPerCall", spreadPerCall(list, Round::clientCpu).json());
            s.put("serverCpuMicrosPerCall", spreadPerCall(list, Round::serverCpu).json());
            s.put("zipkinCpuMicrosPerCall", spreadPerCall(list, Round::zipkinCpu).json());
            s.put("rounds", list.stream().map(Round::json).toList());
            data.put(side, s);
        });
        row.data("tracing", data);

        if (received <= 0) {
            throw new IllegalStateException("the traced side exported nothing: Zipkin's collector counted no span (expected "
                    + expected + "); see the server log and " + zipkin.log());
        }
        List<String> leaked = services.stream().filter(s -> s.equals(TracingSides.UNTRACED_SERVICE)
                || s.equals(TracingSides.UNTRACED_CLIENT)).toList();
        if (!leaked.isEmpty()) {
            throw new IllegalStateException("the untraced side exported spans: Zipkin saw " + leaked);
        }
    }

    /**
     * The newest traces of either traced service, by trace id: which have both spans, only the client's (the
     * server's was lost) or only the server's (the client's was lost). Says which process dropped spans.
     */
    record Split(int traces, int both, int clientOnly, int serverOnly) {
        Map<String, Object> json() {
            return Map.of("traces", traces, "both", both, "clientSpanOnly", clientOnly, "serverSpanOnly", serverOnly,
                    "newestPerService", SAMPLE_TRACES);
        }
    }

    private static Split split(BenchZipkin zipkin) {
        Map<String, boolean[]> byTrace = new LinkedHashMap<>();
        for (String service : List.of(TracingSides.TRACED_CLIENT, TracingSides.TRACED_SERVICE)) {
            for (JsonValue trace : zipkin.traces(service, SAMPLE_TRACES)) {
                for (JsonValue s : trace.asJsonArray()) {
                    JsonObject span = s.asJsonObject();
                    String name = span.containsKey("localEndpoint")
                            ? span.getJsonObject("localEndpoint").getString("serviceName", "") : "";
                    String kind = span.getString("kind", "");
                    boolean[] seen = byTrace.computeIfAbsent(span.getString("traceId"), k -> new boolean[2]);
                    seen[0] |= kind.equals("CLIENT") && name.equals(TracingSides.TRACED_CLIENT);
                    seen[1] |= kind.equals("SERVER") && name.equals(TracingSides.TRACED_SERVICE);
                }
            }
        }
        int both = 0;
        int client = 0;
        int server = 0;
        for (boolean[] seen : byTrace.values()) {
            both += seen[0] && seen[1] ? 1 : 0;
            client += seen[0] && !seen[1] ? 1 : 0;
            server += !seen[0] && seen[1] ? 1 : 0;
        }
        return new Split(byTrace.size(), both, client, server);
    }

    private static String cpu(Map<String, List<Round>> rounds, java.util.function.ToDoubleFunction<Round> figure) {
        return micros(median(rounds.get(TracingSides.TRACED), figure)) + " vs " + micros(median(rounds.get(TracingSides.UNTRACED), figure));
    }

    private static double median(List<Round> list, java.util.function.ToDoubleFunction<Round> figure) {
        return spreadPerCall(list, figure).median();
    }

    private static Spread spreadPerCall(List<Round> list, java.util.function.ToDoubleFunction<Round> figure) {
        return Alternating.spread(list, r -> r.perCallMicros(figure.applyAsDouble(r)));
    }

    private static String micros(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f µs", v);
    }

    private static String percent(long part, long whole) {
        return whole <= 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
