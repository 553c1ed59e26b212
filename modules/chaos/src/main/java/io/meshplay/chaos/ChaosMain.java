package io.meshplay.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * make chaos: starts the lab's processes in the namespaces deploy/local/chaos made, runs every scenario
 * under load, then prints the table (scenario, measure, figure, goal, met/missed) and writes
 * {@code results.json}. Exits 1 when a must-hold goal was missed, 2 on a usage error.
 *
 * <p>Usage: {@code ChaosMain [--reduced] [--scenarios a,b] [--out FILE]}
 */
public final class ChaosMain {

    private ChaosMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("chaos: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException | java.io.IOException e) {
            System.err.println("chaos: " + e.getMessage());
            System.exit(1);
        }
    }

    private static int run(String[] args) throws java.io.IOException {
        boolean reduced = false;
        List<String> scenarios = Scenarios.ALL;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reduced" -> reduced = true;
                case "--scenarios" -> scenarios = Scenarios.parse(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: chaos [--reduced] [--scenarios a,b] [--out FILE]");
            }
        }
        if (reduced && scenarios == Scenarios.ALL) {
            scenarios = Scenarios.REDUCED;
        }
        // the full lab publishes >= 10,000 messages over its scenarios; the reduced one a few hundred. 50/s would
        // take 30 s a scenario, but Azurite beside 8 Consul agents and 5 JVMs on 2 cores takes ~30/s: a scenario
        // also runs until its share of the messages is published (within the 90 s bound below)
        long minScenarioMs = reduced ? 8_000 : Math.max(30_000, 10_500 * 20 / scenarios.size());
        long messagesPerScenario = reduced ? 0 : 10_500 / scenarios.size() + 1;
        Lab lab = new Lab(System.getenv());
        if (out == null) {
            out = lab.repo.resolve("target/chaos/results.json");
        }
        List<Row> rows = new ArrayList<>();
        Map<String, long[]> windows = new LinkedHashMap<>();
        Instant started = Instant.now();
        Messages messages;
        try (Cluster cluster = new Cluster(lab, Map.of()); Probe probe = new Probe(lab)) {
            log("starting 3 Consul servers, 5 agents, Azurite, 3 servers and the subscriber");
            cluster.startAll();
            Cluster.require(Lab.await(Duration.ofSeconds(90), probe::allPassing), "the 3 servers were not passing in Consul within 90 s");
            cluster.startLoad(50);
            Cluster.require(Lab.await(Duration.ofSeconds(60), () -> Lab.SERVER_HOSTS.stream().allMatch(h -> probe.lastCall(h) > 0)),
                    "the load did not reach all 3 servers within 60 s");
            Scenarios run = new Scenarios(lab, cluster, probe, rows);
            int index = 0;
            for (String s : scenarios) {
                long messageTarget = ++index * messagesPerScenario;
                log("scenario " + s);
                long from = System.currentTimeMillis();
                long[] before = probe.stats();
                run.run(s);
                // the scenario ends once everything is back and has had its share of messages
                Lab.await(Duration.ofSeconds(90), () -> probe.allPassing()
                        && Lab.SERVER_HOSTS.stream().allMatch(h -> System.currentTimeMillis() - probe.lastCall(h) < 500)
                        && System.currentTimeMillis() - from >= minScenarioMs
                        && probe.stats()[4] >= messageTarget);
                long[] after = probe.stats();
                long to = System.currentTimeMillis();
                windows.put(s, new long[] {from, to});
                rows.add(new Row(s, "failed unary calls (of " + String.format("%,d", after[0] - before[0]) + ")",
                        after[1] - before[1], "", 0, true, true));
                rows.add(new Row(s, "stream breaks (re-opened)", after[3] - before[3], "", 1_000_000, true, false));
            }
            log("stopping the load; waiting for every published message to be acked");
            cluster.stop("load", Duration.ofSeconds(10));
            // the full lab ends with a backlog (the subscriber, 8 workers on Azurite beside the whole lab, falls
            // behind 50 msg/s with 30% redelivered): 90 s left 1,418 unacked that were still queued, not lost
            long drained = Lab.await(Duration.ofSeconds(reduced ? 30 : 300), () -> Messages.read(lab.dir).unacked() == 0);
            log(drained < 0 ? "not every message was acked in time" : "every message acked " + drained / 1000 + " s after the load stopped");
            messages = Messages.read(lab.dir);
        }
        for (Map.Entry<String, long[]> w : windows.entrySet()) {
            long[] m = messages.window(w.getValue()[0], w.getValue()[1]);
            rows.add(new Row(w.getKey(), "messages lost (of " + String.format("%,d", m[0]) + " published)", m[1], "", 0, true, true));
            rows.add(new Row(w.getKey(), "acked messages delivered again", m[2], "", 0, true, true));
        }
        rows.add(new Row("all", "messages published (acked " + String.format("%,d", messages.acked.size()) + ")",
                messages.publishedAt.size(), "", reduced ? 300 : 10_000, false, !reduced));
        rows.add(new Row("all", "messages lost", messages.unacked(), "", 0, true, true));
        rows.add(new Row("all", "acked messages delivered again", messages.duplicates.size(), "", 0, true, true));
        Report.print(rows, started, reduced);
        Report.json(rows, started, reduced, out);
        return rows.stream().anyMatch(r -> r.mustHold() && !r.met()) ? 1 : 0;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static void log(String line) {
        System.err.printf("[chaos %tT] %s%n", System.currentTimeMillis(), line);
    }
}
