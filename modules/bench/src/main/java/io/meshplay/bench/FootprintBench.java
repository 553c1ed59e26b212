package io.meshplay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grpc.ManagedChannel;
import io.meshplay.testing.Ports;

/**
 * Row 6, footprint of the server app as shipped ({@code deploy/local/app server}: its heap and GC
 * defaults, config/ with Consul and the azqueue subscriber): JVM start to ready-and-registered
 * (readiness includes the registration), with and without the start-up cache, alternating; RSS idle
 * and under load from {@code /proc/<pid>/status}.
 */
final class FootprintBench {

    static final String DEFAULTS = "deploy/local/app defaults";
    static final String CACHED = "with start-up cache";
    private static final int LOAD_CONCURRENCY = 64;

    /** One start of the server. */
    record Start(double execToReady, double spawnToReady, double listening, double idleRssKib, double idleAnonKib,
                 double loadRssKib, double loadPerSecond) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jvmStartToReadySeconds", Spread.round(execToReady));
            m.put("jvmStartToListeningSeconds", Spread.round(listening));
            m.put("spawnToReadySeconds", Spread.round(spawnToReady));
            m.put("idleRssKib", idleRssKib);
            m.put("idleRssAnonKib", idleAnonKib);
            if (!Double.isNaN(loadRssKib)) {
                m.put("maxRssUnderLoadKib", loadRssKib);
                m.put("callsPerSecondUnderLoad", Spread.round(loadPerSecond));
            }
            return m;
        }
    }

    private FootprintBench() {
    }

    static void run(BenchEnv env, Row row) {
        AotCache cache = AotCache.prepare(env);
        int rounds = env.plan.footprintRounds();
        int[] round = new int[2];
        Map<String, List<Start>> starts = Alternating.rounds(List.of(DEFAULTS, CACHED), rounds, side -> {
            boolean cached = side.equals(CACHED);
            int r = round[cached ? 1 : 0]++;
            // the last default start also carries the load, as the footprint users get without extra flags
            return start(env, row, (cached ? "row6-cached-" : "row6-defaults-") + r, cached ? cache.useFlags() : "",
                    !cached && r == rounds - 1);
        });
        List<Start> d = starts.get(DEFAULTS);
        List<Start> c = starts.get(CACHED);
        Spread dReady = Alternating.spread(d, Start::execToReady);
        Spread cReady = Alternating.spread(c, Start::execToReady);
        row.goal("JVM start → ready and registered, " + cache.kind(),
                cReady.format(Spread::seconds) + " (without: " + dReady.format(Spread::seconds) + "; baseline 1.05 s)",
                "≤ 0.6 s", cReady.median() <= 0.6);
        Spread idle = Alternating.spread(d, Start::idleRssKib);
        row.goal("idle RSS (" + DEFAULTS + ": -Xms16m -Xmx128m, Serial GC)",
                idle.format(Spread::mebibytes) + " (with the cache " + Spread.mebibytes(Alternating.spread(c, Start::idleRssKib).median())
                        + "; baseline 148 MB)",
                "≤ 100 MB", idle.median() <= 100 * 1024);
        row.info("where start-up time goes, " + cache.kind(),
                "JVM start → Helidon listening " + Alternating.spread(c, Start::listening).format(Spread::seconds)
                        + " (Helidon's own figure), then registration; without the cache "
                        + Spread.seconds(Alternating.spread(d, Start::listening).median()) + " to listening");
        Start loaded = d.getLast();
        row.goal("RSS under load (c=" + LOAD_CONCURRENCY + " unary, " + env.plan.rssLoad().toSeconds() + " s), " + DEFAULTS,
                Spread.mebibytes(loaded.loadRssKib()) + " max at " + Spread.count(loaded.loadPerSecond()) + " calls/s (baseline 750 MB)",
                "≤ 256 MB", loaded.loadRssKib() <= 256 * 1024);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("launcher", "deploy/local/app server (-Xms16m -Xmx128m -XX:+UseSerialGC -Xss512k, MESHPLAY_HEAP unset)");
        data.put("jvmStart", "the moment the launcher script exec'd java (argv[0] of /proc/<pid>/cmdline)");
        data.put("ready", "first HTTP 200 of /observe/health/ready, which includes the Consul registration (polled every 10 ms)");
        data.put("cache", Map.of("kind", cache.kind(), "file", cache.file().toString(), "flags", cache.useFlags(),
                "reused", cache.reused(), "trainingSeconds", Spread.round(cache.trainingSeconds())));
        starts.forEach((side, list) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("jvmStartToReadySeconds", Alternating.spread(list, Start::execToReady).json());
            s.put("idleRssKib", Alternating.spread(list, Start::idleRssKib).json());
            s.put("starts", list.stream().map(Start::json).toList());
            data.put(side, s);
        });
        if (!env.plan.quick()) {
            Map<String, Object> nmt = NativeMemory.idleSummary(env);
            row.info("idle committed memory by JVM area (NMT, a separate start)", String.valueOf(nmt.get("summary")));
            data.put("nativeMemoryTracking", nmt);
        }
        row.data("footprint", data);
    }

    /** Helidon logs "N milliseconds since JVM startup" when it listens; NaN if the line is not there. */
    static double listening(ChildJvm server) {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) milliseconds since JVM startup")
                    .matcher(java.nio.file.Files.readString(server.log()));
            return m.find() ? Long.parseLong(m.group(1)) / 1000.0 : Double.NaN;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Start start(BenchEnv env, Row row, String name, String javaOpts, boolean load) {
        ServerPorts ports = ServerPorts.free();
        try (ChildJvm server = env.appServer(name, AotCache.SERVICE, ports, javaOpts, Map.of())) {
            long exec = server.awaitExec(Duration.ofSeconds(30));
            long ready = server.awaitHttp200(BenchEnv.healthUrl(ports.observe()), Duration.ofSeconds(60), 10);
            // idle: after start-up work has settled (no requests meanwhile but the registry's and broker's own)
            ChildJvm.pause(1500);
            double idle = server.rssKib();
            double anon = server.status("RssAnon");
            double loadRss = Double.NaN;
            double perSecond = Double.NaN;
            if (load) {
                ManagedChannel channel = Clients.fixed(ports.grpc());
                AtomicBoolean running = new AtomicBoolean(true);
                List<Double> samples = new ArrayList<>();
                CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
                    while (running.get()) {
                        samples.add(server.rssKib());
                        ChildJvm.pause(100);
                    }
                });
                try {
                    perSecond = ClosedLoop.run("footprint load", LOAD_CONCURRENCY, env.plan.rssLoad(), Clients.unary(channel))
                            .perSecond();
                } finally {
                    running.set(false);
                    sampler.join();
                    Clients.close(channel);
                }
                loadRss = samples.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
            }
            String slow = server.stop(Duration.ofSeconds(30));
            if (slow != null) {
                row.info("slow stop", slow);
            }
            return new Start((ready - exec) / 1e9, (ready - server.spawnedNanos()) / 1e9, listening(server), idle, anon,
                    loadRss, perSecond);
        }
    }
}
