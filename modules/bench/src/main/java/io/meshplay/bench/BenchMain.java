package io.meshplay.bench;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.LogManager;

import io.meshplay.testing.Processes;

/**
 * {@code make bench}: starts its own Consul and Azurite (and Zipkin for row 8), measures the six rows of issue 6,
 * row 7 (mutual TLS, issue 13), row 8 (tracing) and row 9 (the gateway, issue 16) side by side, writes {@code target/bench/results.json} and prints one table with the machine above it.
 * Exit 0 when every row ran (goals met or not: the table says), 1 when a row failed, 2 on bad arguments.
 */
public final class BenchMain {

    static final List<String> ROW_IDS = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9");

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the bench; for tests too (in-process). */
    public static int run(String[] args) {
        boolean quick = false;
        Path out = null;
        Set<String> only = new TreeSet<>(ROW_IDS);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--rows" -> only = new TreeSet<>(List.of(value(args, ++i, "--rows").split(",")));
                case "--help", "-h" -> {
                    usage();
                    return 0;
                }
                default -> {
                    System.err.println("bench: unknown argument '" + args[i] + "' (try --help)");
                    return 2;
                }
            }
        }
        if (!ROW_IDS.containsAll(only)) {
            System.err.println("bench: --rows takes a comma-separated subset of " + ROW_IDS + ", was " + only);
            return 2;
        }
        Path repo = Processes.repoRoot();
        Path file = out != null ? out.toAbsolutePath() : repo.resolve("target/bench/results.json");
        BenchPlan plan = quick ? BenchPlan.quickPlan() : BenchPlan.fullPlan();
        List<Row> rows = execute(plan, repo, file, only);
        return rows.stream().anyMatch(Row::hasError) ? 1 : 0;
    }

    static List<Row> execute(BenchPlan plan, Path repo, Path file, Set<String> only) {
        quietLogs();
        long t0 = System.nanoTime();
        Map<String, Row> rows = new LinkedHashMap<>();
        rows.put("1", new Row("1", "discovery overhead"));
        rows.put("2", new Row("2", "server"));
        rows.put("3", new Row("3", "streaming"));
        rows.put("4", new Row("4", "broker"));
        rows.put("5", new Row("5", "discovery dynamics"));
        rows.put("6", new Row("6", "footprint"));
        rows.put("7", new Row("7", "mutual TLS"));
        rows.put("8", new Row("8", "tracing"));
        rows.put("9", new Row("9", "gateway"));
        rows.keySet().retainAll(only);
        Map<String, Object> machine;
        boolean zipkin = rows.containsKey("8");
        progress("starting Consul and Azurite" + (zipkin ? " and Zipkin" : "") + " (" + (plan.quick() ? "quick" : "full") + " plan)");
        try (BenchEnv env = BenchEnv.start(plan, repo, file.getParent(), zipkin)) {
            machine = Machine.describe(repo, env.consul.version(), Machine.azuriteVersion(repo));
            section(rows.get("1"), () -> DiscoveryBench.run(env, rows.get("1")));
            if (rows.containsKey("2") || rows.containsKey("3")) {
                progress("rows 2 and 3: starting the meshplay (netty and helidon transports) and grpc-java Netty server JVMs");
                try (ServerSides servers = ServerSides.start(env)) {
                    section(rows.get("2"), () -> ServerBench.run(env, servers, rows.get("2")));
                    section(rows.get("3"), () -> StreamingBench.run(env, servers, rows.get("3")));
                } catch (RuntimeException e) {
                    failed(rows.get("2"), e);
                    failed(rows.get("3"), e);
                }
            }
            if (rows.containsKey("7")) {
                progress("row 7: starting meshplay servers (connect mTLS, plaintext) and a grpc-java static-TLS server");
            }
            section(rows.get("7"), () -> TlsBench.run(env, rows.get("7")));
            if (rows.containsKey("8")) {
                progress("row 8: starting meshplay servers with tracing on (to the bench's Zipkin) and off");
            }
            section(rows.get("8"), () -> TracingBench.run(env, rows.get("8")));
            if (rows.containsKey("9")) {
                progress("row 9: starting a meshplay server and the gateway app");
            }
            section(rows.get("9"), () -> GatewayBench.run(env, rows.get("9")));
            section(rows.get("4"), () -> BrokerBench.run(env, rows.get("4")));
            IdleProbe idle = null;
            if (rows.containsKey("4")) {
                try {
                    idle = IdleProbe.start(env);
                } catch (RuntimeException e) {
                    failed(rows.get("4"), e);
                }
            }
            section(rows.get("5"), () -> DynamicsBench.run(env, rows.get("5")));
            section(rows.get("6"), () -> FootprintBench.run(env, rows.get("6")));
            if (idle != null) {
                IdleProbe probe = idle;
                progress("row 4: idle queue requests (waiting for the window to fill if the other rows were quick)");
                section(rows.get("4"), () -> probe.finish(rows.get("4")));
                probe.close();
            }
        }
        machine = new LinkedHashMap<>(machine);
        machine.put("loadAverageEnd", Machine.loadAverage());
        machine.put("plan", plan.json());
        List<Row> list = new ArrayList<>(rows.values());
        Report report = new Report(machine, list, plan.quick() ? "quick" : "full", (System.nanoTime() - t0) / 1e9);
        report.writeJson(file);
        report.print(System.out);
        progress("results in " + file);
        return list;
    }

    private static void section(Row row, Runnable body) {
        if (row == null) {
            return;
        }
        progress("row " + row.id() + ": " + row.title());
        long t0 = System.nanoTime();
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            failed(row, e);
        } finally {
            row.addSeconds((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void failed(Row row, Throwable e) {
        if (row == null) {
            return;
        }
        System.err.println("bench: row " + row.id() + " (" + row.title() + ") failed:");
        e.printStackTrace(System.err);
        row.error(row.title() + " failed", e);
    }

    static void progress(String text) {
        System.err.println("[bench " + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + text);
    }

    /**
     * The clients and brokers in this JVM log their normal life at INFO and expected trouble at WARNING
     * (row 5 makes a client resolve a service with no instance on purpose); rows report their own failures.
     */
    private static void quietLogs() {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        root.setLevel(Level.SEVERE);
        for (var h : root.getHandlers()) {
            h.setLevel(Level.SEVERE);
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage() {
        System.out.println("""
                usage: deploy/local/bench [--no-build] [--quick] [--out FILE] [--rows 1,2,...]
                  --no-build  (the script's) use the jars as built, do not rebuild stale ones
                  --quick   every row with tiny durations (a smoke check, ~1.5 min; figures not worth quoting)
                  --out     where results.json goes (default target/bench/results.json)
                  --rows    run only these rows (1 discovery overhead, 2 server, 3 streaming, 4 broker,
                            5 discovery dynamics, 6 footprint, 7 mutual TLS, 8 tracing, 9 gateway)
                Starts its own Consul and Azurite (and Zipkin for row 8) on free loopback ports; prints the table to stdout.""");
    }
}
