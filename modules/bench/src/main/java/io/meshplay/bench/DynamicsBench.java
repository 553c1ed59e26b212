package io.meshplay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.ManagedChannel;
import io.meshplay.client.MeshplayClient;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.testing.Ports;

/**
 * Row 5, discovery dynamics, with real server processes ({@code deploy/local/app server}) registering
 * in Consul and a running meshplay client resolving them: how long from a server's process start to
 * the client's first successful call, and how many calls fail while one of two instances stops
 * gracefully (SIGTERM) or is killed (SIGKILL) under load.
 */
final class DynamicsBench {

    static final String SERVICE = "bench-dynamics";
    private static final Map<String, String> SETS = Map.of("broker.type", "memory");
    private static final int LOAD_CONCURRENCY = 16;

    private DynamicsBench() {
    }

    static void run(BenchEnv env, Row row) {
        try (MeshplayClient client = MeshplayClient.create(Clients.meshplayConfig(env))) {
            ManagedChannel channel = client.channel(SERVICE);
            firstCall(env, client, channel, row);
            stops(env, client, channel, row);
        }
    }

    private static void firstCall(BenchEnv env, MeshplayClient client, ManagedChannel channel, Row row) {
        List<Double> spawnToCall = new ArrayList<>();
        List<Double> execToReady = new ArrayList<>();
        List<Double> readyToCall = new ArrayList<>();
        for (int r = 0; r < env.plan.dynamicsRounds(); r++) {
            ServerPorts ports = ServerPorts.free();
            CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> probe(channel, Duration.ofSeconds(90)));
            try (ChildJvm server = env.appServer("row5-first-call-" + r, SERVICE, ports, "", SETS)) {
                long exec = server.awaitExec(Duration.ofSeconds(30));
                long ready = server.awaitHttp200(BenchEnv.healthUrl(ports.observe()), Duration.ofSeconds(60), 10);
                long called = first.get(90, TimeUnit.SECONDS);
                spawnToCall.add((called - server.spawnedNanos()) / 1e9);
                execToReady.add((ready - exec) / 1e9);
                readyToCall.add((called - ready) / 1e9);
                String slow = server.stop(Duration.ofSeconds(30));
                if (slow != null) {
                    row.info("slow stop", slow);
                }
            } catch (Exception e) {
                first.cancel(true);
                throw new IllegalStateException("first call round " + r + ": " + Errors.describe(e), e);
            }
            awaitInstances(client, 0);
        }
        Spread total = Spread.of(spawnToCall);
        row.info("server process start → first successful call of a running client",
                total.format(Spread::seconds) + " (JVM start → ready and registered " + Spread.of(execToReady).format(Spread::seconds)
                        + "; registered → first call " + Spread.of(readyToCall).format(Spread::seconds)
                        + ", mostly Consul's first gRPC check, staggered within its 5 s interval)");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("spawnToFirstCallSeconds", total.json());
        data.put("jvmStartToReadySeconds", Spread.of(execToReady).json());
        data.put("readyToFirstCallSeconds", Spread.of(readyToCall).json());
        data.put("probe", "the client calls every 10 ms from before the server process starts");
        data.put("server", "deploy/local/app server (config/ as shipped; registry consul, broker memory)");
        row.data("firstCall", data);
    }

    /** Calls every 10 ms until one succeeds; returns its nanoTime. */
    private static long probe(ManagedChannel channel, Duration timeout) {
        var stub = ExampleGrpc.newBlockingStub(channel);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                stub.withDeadlineAfter(2, TimeUnit.SECONDS).call(Clients.REQUEST);
                return System.nanoTime();
            } catch (RuntimeException e) {
                ChildJvm.pause(10);
            }
        }
        throw new IllegalStateException("no successful call within " + timeout);
    }

    private static void stops(BenchEnv env, MeshplayClient client, ManagedChannel channel, Row row) {
        ServerPorts[] ports = {ServerPorts.free(), ServerPorts.free(), ServerPorts.free()};
        ChildJvm a = env.appServer("row5-instance-a", SERVICE, ports[0], "", SETS);
        ChildJvm b = env.appServer("row5-instance-b", SERVICE, ports[1], "", SETS);
        try {
            a.awaitHttp200(BenchEnv.healthUrl(ports[0].observe()), Duration.ofSeconds(60), 20);
            b.awaitHttp200(BenchEnv.healthUrl(ports[1].observe()), Duration.ofSeconds(60), 20);
            awaitInstances(client, 2);
            ClosedLoop.run("warm-up", LOAD_CONCURRENCY, env.plan.levelWarmup().plusSeconds(1), Clients.unary(channel));

            String[] slow = new String[1];
            double[] stopSeconds = new double[1];
            LoadResult graceful = underLoad(env, channel, () -> {
                long t0 = System.nanoTime();
                slow[0] = a.stop(Duration.ofSeconds(30));
                stopSeconds[0] = (System.nanoTime() - t0) / 1e9;
            });
            row.goal("failed calls during a graceful stop (SIGTERM) of 1 of 2 instances, c=" + LOAD_CONCURRENCY,
                    failures(graceful) + "; the instance took " + Spread.seconds(stopSeconds[0]) + " to stop",
                    "0", graceful.errors() == 0);
            if (slow[0] != null) {
                row.info("slow stop", slow[0]);
            }

            ChildJvm c = env.appServer("row5-instance-c", SERVICE, ports[2], "", SETS);
            try {
                c.awaitHttp200(BenchEnv.healthUrl(ports[2].observe()), Duration.ofSeconds(60), 20);
                awaitInstances(client, 2);
                ClosedLoop.run("warm-up", LOAD_CONCURRENCY, env.plan.levelWarmup().plusSeconds(1), Clients.unary(channel));
                LoadResult killed = underLoad(env, channel, c::kill);
                row.goal("failed unary calls during kill -9 of 1 of 2 instances, c=" + LOAD_CONCURRENCY,
                        failures(killed), "0 (retried on the other instance)", killed.errors() == 0);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("graceful", graceful.json());
                data.put("kill9", killed.json());
                data.put("client", "MeshplayClient defaults: round_robin, 3 attempts on UNAVAILABLE, outlier detection");
                row.data("stops", data);
            } finally {
                c.close();
            }
        } finally {
            a.close();
            b.close();
        }
    }

    /** Loads the service, runs {@code stop} after a while, keeps loading for a while after it returned. */
    private static LoadResult underLoad(BenchEnv env, ManagedChannel channel, Runnable stop) {
        AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
        CompletableFuture<LoadResult> load = CompletableFuture.supplyAsync(() ->
                ClosedLoop.run("stop under load", LOAD_CONCURRENCY, Clients.unary(channel), deadline, () -> { }));
        try {
            ChildJvm.pause(env.plan.loadBeforeStop().toMillis());
            stop.run();
            ChildJvm.pause(env.plan.loadAfterStop().toMillis());
        } finally {
            deadline.set(System.nanoTime());
        }
        return load.join();
    }

    private static String failures(LoadResult r) {
        return r.errors() + " of " + (r.calls() + r.errors()) + " calls"
                + (r.firstError() == null ? "" : " (first: " + r.firstError() + ")");
    }

    private static void awaitInstances(MeshplayClient client, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (client.registry().instances(SERVICE).size() != n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the client's registry did not show " + n + " instances of " + SERVICE
                        + " within 30 s (has " + client.registry().instances(SERVICE).size() + ")");
            }
            ChildJvm.pause(20);
        }
    }
}
