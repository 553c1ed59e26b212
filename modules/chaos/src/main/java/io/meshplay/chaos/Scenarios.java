package io.meshplay.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The faults, each injected under the load and followed by its recovery, with what it is measured by.
 * Every wait is a condition with a deadline; a deadline missed is a figure of -1 ("not reached").
 */
final class Scenarios {

    static final List<String> ALL = List.of("kill-9-server", "rolling-restart", "agent-restart", "partition",
            "leader-kill", "azurite-restart", "subscriber-kill-9");
    static final List<String> REDUCED = List.of("kill-9-server", "partition");

    private static final Duration RECOVERY = Duration.ofSeconds(60);
    /** An instance that received nothing for this long has stopped receiving calls. */
    private static final long QUIET_MS = 1500;

    private final Lab lab;
    private final Cluster cluster;
    private final Probe probe;
    private final List<Row> rows;

    Scenarios(Lab lab, Cluster cluster, Probe probe, List<Row> rows) {
        this.lab = lab;
        this.cluster = cluster;
        this.probe = probe;
        this.rows = rows;
    }

    void run(String name) {
        switch (name) {
            case "kill-9-server" -> killServer("h1");
            case "rolling-restart" -> rolling();
            case "agent-restart" -> agentRestart("h2");
            case "partition" -> partition("h3");
            case "leader-kill" -> leaderKill();
            case "azurite-restart" -> azuriteRestart();
            case "subscriber-kill-9" -> subscriberKill();
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        }
    }

    private void row(String scenario, String measure, double figure, String unit, double goal, boolean mustHold) {
        rows.add(new Row(scenario, measure, figure, unit, goal, true, mustHold));
    }

    private static double seconds(long ms) {
        return ms < 0 ? -1 : ms / 1000.0;
    }

    /** ms from {@code fault} until {@code host} received its last call, once it has been quiet for QUIET_MS. */
    private long stopsReceiving(String host, long fault) {
        long waited = Lab.await(RECOVERY, () -> System.currentTimeMillis() - Math.max(probe.lastCall(host), fault) > QUIET_MS);
        return waited < 0 ? -1 : Math.max(0, probe.lastCall(host) - fault);
    }

    private long backInRotation(String host, long since) {
        long waited = Lab.await(RECOVERY, () -> probe.lastCall(host) > since);
        return waited < 0 ? -1 : probe.lastCall(host) - since;
    }

    private long registered(String host, long since) {
        long waited = Lab.await(RECOVERY, () -> probe.passing(host));
        return waited < 0 ? -1 : System.currentTimeMillis() - since;
    }

    /** Out of rotation, back, re-registered: the three timings every server fault is measured by. */
    private void recovery(String scenario, String host, long fault, Runnable restore, double outGoal) {
        long out = stopsReceiving(host, fault);
        long gone = Lab.await(RECOVERY, () -> !probe.passing(host)) < 0 ? -1 : System.currentTimeMillis() - fault;
        long restored = System.currentTimeMillis();
        restore.run();
        long reg = registered(host, restored);
        long back = backInRotation(host, restored);
        row(scenario, "time until " + host + " stops receiving calls", seconds(out), "s", outGoal, false);
        row(scenario, "time until " + host + " leaves Consul's passing list", seconds(gone),
                "s", 15, false);
        row(scenario, "time to re-register (passing again)", seconds(reg), "s", 15, false);
        row(scenario, "time until back in rotation", seconds(back), "s", 15, false);
    }

    private void killServer(String host) {
        long fault = System.currentTimeMillis();
        cluster.kill("server-" + host);
        recovery("kill-9-server", host, fault, () -> cluster.startServer(host), 1);
    }

    private void rolling() {
        double out = 0, reg = 0, back = 0;
        for (String host : Lab.SERVER_HOSTS) {
            long fault = System.currentTimeMillis();
            cluster.stop("server-" + host, Duration.ofSeconds(15));
            long o = stopsReceiving(host, fault);
            long restored = System.currentTimeMillis();
            cluster.startServer(host);
            long r = registered(host, restored);
            long b = backInRotation(host, restored);
            out = worst(out, o);
            reg = worst(reg, r);
            back = worst(back, b);
        }
        row("rolling-restart", "time until a stopped server stops receiving calls (worst of 3)", out, "s", 1, false);
        row("rolling-restart", "time to re-register (worst of 3)", reg, "s", 15, false);
        row("rolling-restart", "time until back in rotation (worst of 3)", back, "s", 15, false);
    }

    private static double worst(double sofar, long ms) {
        return sofar < 0 || ms < 0 ? -1 : Math.max(sofar, ms / 1000.0);
    }

    private void agentRestart(String host) {
        long fault = System.currentTimeMillis();
        cluster.stop("agent-" + host, Duration.ofSeconds(10));
        recovery("agent-restart", host, fault, () -> cluster.startConsul(host), 10);
    }

    private void partition(String host) {
        long fault = System.currentTimeMillis();
        // the observer's address (.1, the bridge) stays reachable so the lab can still see what the host receives
        String observer = lab.net + ".1";
        lab.exec(host, "iptables", "-w", "-A", "INPUT", "-s", observer, "-j", "ACCEPT");
        lab.exec(host, "iptables", "-w", "-A", "INPUT", "!", "-i", "lo", "-j", "DROP");
        lab.exec(host, "iptables", "-w", "-A", "OUTPUT", "-d", observer, "-j", "ACCEPT");
        lab.exec(host, "iptables", "-w", "-A", "OUTPUT", "!", "-o", "lo", "-j", "DROP");
        recovery("partition", host, fault, () -> {
            lab.exec(host, "iptables", "-w", "-F", "INPUT");
            lab.exec(host, "iptables", "-w", "-F", "OUTPUT");
        }, 10);
    }

    private void leaderKill() {
        String leader = cluster.leader();
        long fault = System.currentTimeMillis();
        cluster.kill("consul-" + leader);
        long elected = Lab.await(RECOVERY, () -> {
            String now = cluster.leader();
            return now != null && !now.equals(leader);
        });
        row("leader-kill", "time until a new Consul leader (was " + leader + ")", seconds(elected < 0 ? -1 : System.currentTimeMillis() - fault),
                "s", 5, false);
        cluster.startConsul(leader);
        long rejoined = Lab.await(RECOVERY, () -> {
            String peers = Lab.get(lab.consulHttp(Lab.LOAD_HOST) + "/v1/status/peers");
            return peers != null && peers.contains(lab.address(leader) + ":") && peers.split(",").length == 3;
        });
        row("leader-kill", "time until the killed server is a raft peer again", seconds(rejoined), "s", 30, false);
        Lab.await(RECOVERY, probe::allPassing);
    }

    private void azuriteRestart() {
        long[] before = probe.stats();
        cluster.stop("azurite", Duration.ofSeconds(10));
        cluster.startAzurite();
        long t0 = System.currentTimeMillis();
        long resumed = Lab.await(RECOVERY, () -> probe.stats()[4] > before[4] + 50);
        row("azurite-restart", "time until publishing resumes after Azurite is back", seconds(resumed < 0 ? -1 : System.currentTimeMillis() - t0 - 1000),
                "s", 5, false);
        row("azurite-restart", "publishes refused while Azurite was down", probe.stats()[5] - before[5], "", 1_000_000, false);
    }

    private void subscriberKill() {
        // mid-handler: the journal's last line is a handler that started and has not returned
        long mid = Lab.await(Duration.ofSeconds(20), () -> lastLine().startsWith("H "));
        cluster.kill("subscriber");
        long t0 = System.currentTimeMillis();
        long handledBefore = lines();
        cluster.startSubscriber();
        long resumed = Lab.await(RECOVERY, () -> lines() > handledBefore);
        rows.add(new Row("subscriber-kill-9", "killed while a handler ran (1 = yes)", mid < 0 ? 0 : 1, "", 1, false, false));
        row("subscriber-kill-9", "time until handling resumes", seconds(resumed < 0 ? -1 : System.currentTimeMillis() - t0), "s", 15, false);
    }

    private String lastLine() {
        try {
            List<String> all = Files.readAllLines(lab.dir.resolve("handled.log"));
            return all.isEmpty() ? "" : all.getLast();
        } catch (IOException e) {
            return "";
        }
    }

    private long lines() {
        try (var s = Files.lines(lab.dir.resolve("handled.log"))) {
            return s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    static List<String> parse(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (!ALL.contains(s.strip())) {
                throw new IllegalArgumentException("unknown scenario '" + s.strip() + "'; known: " + String.join(", ", ALL));
            }
            out.add(s.strip());
        }
        return out;
    }
}
