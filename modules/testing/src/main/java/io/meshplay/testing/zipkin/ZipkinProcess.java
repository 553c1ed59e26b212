package io.meshplay.testing.zipkin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.meshplay.testing.JavaProcess;
import io.meshplay.testing.PortLease;
import io.meshplay.testing.PortRetry;
import io.meshplay.testing.Processes;

/**
 * A real Zipkin 3.3 server (the exec jar from MESHPLAY_ZIPKIN_BIN or deploy/local/provision-zipkin) per test
 * class, on a leased loopback port (started again on a fresh one if it cannot bind it), spans in memory. Started
 * on this JVM's JDK with the project's quiet flags, C1 only and the serial collector: ~4 s to a healthy
 * {@code /health}, ~210 MB RSS. Its output goes to target/mesh-logs/zipkin-PORT.log. Stopped by PID.
 *
 * <p>{@link #stop()} and {@link #restart()} keep the port (and its lease), so an exporter configured with
 * {@link #spansEndpoint()} can be shown Zipkin going away and coming back; the restarted Zipkin is empty.
 * A span accepted by the collector (HTTP 202) was queryable at once in every run measured, but the collector
 * is asynchronous: read with {@link #awaitTrace}, not {@link #trace}, after a post.
 */
public final class ZipkinProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final Path jar;
    private final PortLease lease;
    private final int port;
    private final Path log;
    private Process process;

    private ZipkinProcess(Path jar, PortLease lease, Path log) {
        this.jar = jar;
        this.lease = lease;
        this.port = lease.port();
        this.log = log;
    }

    /** Provisions Zipkin if needed and starts it on a leased port; returns once {@code /health} answers. */
    public static ZipkinProcess start() {
        Path jar = tool("zipkin");
        return PortRetry.start("zipkin", 1, (ports, output) -> {
            Path log = output.watch(Path.of("target", "mesh-logs", "zipkin-" + ports.port() + ".log").toAbsolutePath());
            ZipkinProcess zipkin = new ZipkinProcess(jar, ports, log);
            zipkin.startProcess();
            return zipkin;
        });
    }

    /** The command line of one Zipkin on {@code port}: also what deploy/local/zipkin runs for users. */
    static List<String> command(Path jar, int port) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(JavaProcess.quietFlags());
        c.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-jar", jar.toString(),
                // Zipkin 3 serves with Armeria, which ignores --server.address: bind loopback through its port list
                "--armeria.ports[0].ip=127.0.0.1",
                "--armeria.ports[0].port=" + port,
                "--armeria.ports[0].protocols=http",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN"));
        return c;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where an OpenTelemetry Zipkin exporter (or any v2 JSON/proto3 sender) posts spans. */
    public String spansEndpoint() {
        return url() + "/api/v2/spans";
    }

    public int port() {
        return port;
    }

    /** The PID of the running Zipkin, or -1 when stopped. */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /** Zipkin's output, appended across restarts. */
    public Path log() {
        return log;
    }

    /** The spans of trace {@code traceId} (hex) as stored now; empty if Zipkin knows no such trace. */
    public List<ZipkinSpan> trace(String traceId) {
        HttpResponse<String> response = get("/api/v2/trace/" + traceId);
        if (response.statusCode() == 404) {
            return List.of();
        }
        return spans(ok(response).getAsJsonArray());
    }

    /**
     * Polls {@link #trace} every 100 ms until {@code until} holds for its spans (an empty list included), and
     * returns them.
     *
     * @throws AssertionError after {@code timeout}, with the spans (or the error) of the last poll
     */
    public List<ZipkinSpan> awaitTrace(String traceId, Predicate<List<ZipkinSpan>> until, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ZipkinSpan> last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = trace(traceId);
                lastError = null;
                if (until.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                StringBuilder m = new StringBuilder("trace ").append(traceId).append(" in Zipkin ").append(url())
                        .append(" did not match within ").append(timeout).append("; last seen: ");
                if (lastError != null) {
                    m.append(lastError);
                } else {
                    m.append(last.size()).append(" span(s)");
                    last.forEach(s -> m.append("\n  ").append(s));
                }
                m.append("\nZipkin log: ").append(log);
                throw new AssertionError(m.toString(), lastError);
            }
            pause();
        }
    }

    /** Up to {@code limit} traces with a span whose local service is {@code serviceName}, newest first, of all time. */
    public List<List<ZipkinSpan>> traces(String serviceName, int limit) {
        return traces("serviceName=" + URLEncoder.encode(serviceName.toLowerCase(Locale.ROOT), StandardCharsets.UTF_8)
                + "&limit=" + limit);
    }

    /** The local service names Zipkin has seen (remote-only names are not listed), sorted. */
    public List<String> services() {
        List<String> names = new ArrayList<>();
        ok(get("/api/v2/services")).getAsJsonArray().forEach(e -> names.add(e.getAsString()));
        return names;
    }

    /** Every span stored now, over all traces and services. */
    public int spanCount() {
        return traces("limit=" + Integer.MAX_VALUE).stream().mapToInt(List::size).sum();
    }

    /** Stops Zipkin (SIGTERM, SIGKILL after a grace period; it takes ~2.5 s) and keeps the port leased. */
    public synchronized void stop() {
        if (process != null) {
            if (!Processes.stop(process, STOP_GRACE)) {
                throw new IllegalStateException("zipkin pid " + process.pid() + " did not stop");
            }
            process = null;
        }
    }

    /** Stops Zipkin if it runs and starts an empty one on the same port; returns once it is healthy. */
    public synchronized void restart() {
        stop();
        startProcess();
    }

    /** Stops Zipkin and releases its port. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            lease.close();
        }
    }

    @Override
    public String toString() {
        return "Zipkin[" + url() + ", pid " + pid() + "]";
    }

    private synchronized void startProcess() {
        // in-memory storage; self-tracing is off by default, said anyway so a user's environment cannot turn it on
        process = Processes.start(command(jar, port), log.getParent(), log,
                Map.of("STORAGE_TYPE", "mem", "SELF_TRACING_ENABLED", "false"));
        try {
            Processes.waitForHttp(url() + "/health", START_TIMEOUT, process);
        } catch (RuntimeException e) {
            Processes.stop(process, Duration.ofSeconds(2));
            process = null;
            throw new IllegalStateException(e.getMessage() + "; log " + log, e);
        }
    }

    /** GET /api/v2/traces with {@code query}, over all time (a clock a minute ahead included). */
    private List<List<ZipkinSpan>> traces(String query) {
        long endTs = System.currentTimeMillis() + 60_000;
        JsonArray traces = ok(get("/api/v2/traces?" + query + "&endTs=" + endTs + "&lookback=" + endTs)).getAsJsonArray();
        List<List<ZipkinSpan>> result = new ArrayList<>();
        for (JsonElement t : traces) {
            result.add(spans(t.getAsJsonArray()));
        }
        return result;
    }

    private static List<ZipkinSpan> spans(JsonArray array) {
        List<ZipkinSpan> spans = new ArrayList<>();
        for (JsonElement e : array) {
            spans.add(ZipkinSpan.of(e.getAsJsonObject()));
        }
        return spans;
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url() + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + url() + path, e);
        }
    }

    private static JsonElement ok(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + response.uri() + " returned HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        return JsonParser.parseString(response.body());
    }

    /** Polling pause inside a deadline loop; not a synchronisation primitive. */
    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling Zipkin", e);
        }
    }

    /**
     * As {@link Processes#tool}, but under deploy/local/test (MESHPLAY_TEST_PROVISIONED names the tool) a missing
     * MESHPLAY_ZIPKIN_BIN is an error, not a cue to provision.
     */
    static Path tool(String tool) {
        String env = "MESHPLAY_" + tool.toUpperCase(Locale.ROOT).replace('-', '_') + "_BIN";
        String provisioned = System.getenv("MESHPLAY_TEST_PROVISIONED");
        if (provisioned != null && List.of(provisioned.split("\\s+")).contains(tool)
                && (System.getenv(env) == null || System.getenv(env).isBlank())) {
            throw new IllegalStateException("running under deploy/local/test (MESHPLAY_TEST_PROVISIONED=" + provisioned
                    + ") but " + env + " is not set: deploy/local/test must run deploy/local/provision-" + tool
                    + " and export it");
        }
        return Processes.tool(tool);
    }
}
