package io.meshplay.apps.server.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import java.util.regex.Pattern;

import io.meshplay.testing.JavaProcess;
import io.meshplay.testing.Processes;


/**
 * The example server in its own JVM, as the suite's clients see it: started with a transport, found
 * through Consul, and watched from outside through /observe/metrics (heap and stream gauges).
 */
final class InteropServer implements AutoCloseable {

    /** Small enough that a server buffering a 1M-response stream for a paused reader would run out of heap. */
    static final int MAX_HEAP_MB = 64;

    private static final Pattern SERVING = Pattern.compile("serving \\S+ as (\\S+) on ");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final Process process;
    private final Path log;
    private final Path configDir;

    private InteropServer(Process process, Path log, Path configDir) {
        this.process = process;
        this.log = log;
        this.configDir = configDir;
    }

    /**
     * Starts the server with {@code grpc.transport=<transport>}. The config folder is empty, so the
     * repo's config/ files cannot change what is tested.
     */
    static InteropServer start(String transport, Map<String, String> overrides) {
        try {
            Path configDir = Files.createTempDirectory("meshplay-interop-config-");
            Path log = Files.createDirectories(Path.of("target", "interop-logs"))
                    .resolve("server-" + transport + "-" + System.currentTimeMillis() + ".log");
            List<String> args = new ArrayList<>(List.of(
                    "--set", "grpc.transport=" + transport, "--set", "grpc.port=0", "--set", "server.port=0"));
            overrides.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
            List<String> command = JavaProcess.command(List.of("-Xmx" + MAX_HEAP_MB + "m", "-XX:+UseSerialGC"),
                    InteropServerMain.class.getName(), args);
            Process p = Processes.start(command, Path.of("").toAbsolutePath(), log,
                    Map.of("MESHPLAY_CONFIG_DIR", configDir.toString()));
            return new InteropServer(p, log, configDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the interop server JVM", e);
        }
    }

    /** Waits for the "serving ... as <id>" line and returns the instance id. */
    String awaitInstanceId(Duration timeout) {
        return Processes.awaitLogMatch(process, log, SERVING, timeout);
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** The last lines of the server's log, for failure messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(15));
        try {
            Files.deleteIfExists(configDir);
        } catch (IOException e) {
            // an empty temp folder left behind is harmless
        }
    }

    /** Reads the server's Prometheus text at the metrics port Consul gave for the instance. */
    record Metrics(String text) {

        static Metrics scrape(ConsulView.Target target) {
            URI uri = URI.create("http://" + target.host() + ":" + target.metricsPort() + "/observe/metrics");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + uri + ": HTTP " + response.statusCode());
                }
                return new Metrics(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException("GET " + uri, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** The first sample of a meter (dots become underscores, as Helidon writes them). */
        OptionalDouble value(String meter) {
            String name = meter.replace('.', '_');
            for (String line : text.split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
            return OptionalDouble.empty();
        }

        double require(String meter) {
            return value(meter).orElseThrow(() -> new IllegalStateException("no " + meter + " on /observe/metrics"));
        }

        long usedHeap() {
            return (long) require("memory.usedHeap.bytes");
        }

        long messages() {
            return (long) require(InteropServerMain.MESSAGES);
        }

        int open() {
            return (int) require(InteropServerMain.OPEN);
        }

        long repeatedCancels() {
            return (long) require(InteropServerMain.REPEATED_CANCELS);
        }
    }

    /**
     * Polls the server's metrics until {@code condition} holds for the meter or {@code timeout} passes;
     * returns milliseconds waited, or -1 on timeout.
     */
    static long awaitMeter(ConsulView.Target target, String meter, DoublePredicate condition, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        for (int polls = 0; polls < 10_000 && System.nanoTime() < deadline; polls++) {
            if (condition.test(Metrics.scrape(target).require(meter))) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return -1;
    }
}
