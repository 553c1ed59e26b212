package io.meshplay.bench;

import java.io.IOException;
import java.io.StringReader;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshplay.testing.JavaProcess;
import io.meshplay.testing.PortLease;
import io.meshplay.testing.PortRetry;
import io.meshplay.testing.Processes;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * The bench's own Zipkin 3.3 (the exec jar from MESHPLAY_ZIPKIN_BIN or deploy/local/provision-zipkin) on a
 * leased loopback port, spans in memory, stopped by PID. Unlike the tests' {@code ZipkinProcess} (C1 only,
 * 256 MB) it keeps the JVM's default JIT and a 512 MB heap with in-memory storage capped at 100,000 spans:
 * row 8 sends it tens of thousands of spans a second for a minute, and a collector that ran out of heap or
 * stayed in C1 would take more of the 2 shared cores than it must. Its output goes to {@code logs/zipkin-PORT.log}.
 */
final class BenchZipkin implements AutoCloseable {

    static final int MAX_SPANS = 100_000;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private static final Pattern METRIC = Pattern.compile("^(zipkin_collector_[a-z_]+_total)\\{transport=\"http\",?}\\s+(\\S+)$",
            Pattern.MULTILINE);

    private final PortLease lease;
    private final Process process;
    private final Path log;

    private BenchZipkin(PortLease lease, Process process, Path log) {
        this.lease = lease;
        this.process = process;
        this.log = log;
    }

    /** Provisions Zipkin if needed and starts it; returns once {@code /health} answers 200. */
    static BenchZipkin start(Path logDir) {
        Path jar = Processes.tool("zipkin");
        return PortRetry.start("zipkin", 1, (ports, output) -> {
            Path log = output.watch(logDir.resolve("zipkin-" + ports.port() + ".log").toAbsolutePath());
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JavaProcess.quietFlags());
            command.addAll(List.of("-XX:+UseSerialGC", "-Xmx512m", "-jar", jar.toString(),
                    // Zipkin 3 serves with Armeria, which ignores --server.address: loopback through its port list
                    "--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].port=" + ports.port(),
                    "--armeria.ports[0].protocols=http", "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
            Process p = Processes.start(command, logDir, log, Map.of("STORAGE_TYPE", "mem", "SELF_TRACING_ENABLED", "false",
                    "MEM_MAX_SPANS", Integer.toString(MAX_SPANS)));
            try {
                Processes.waitForHttp("http://127.0.0.1:" + ports.port() + "/health", Duration.ofSeconds(90), p);
            } catch (RuntimeException e) {
                Processes.stop(p, Duration.ofSeconds(2));
                throw new IllegalStateException(e.getMessage() + "; log " + log, e);
            }
            return new BenchZipkin(ports, p, log);
        });
    }

    String url() {
        return "http://127.0.0.1:" + lease.port();
    }

    /** Where an OpenTelemetry Zipkin exporter posts spans. */
    String spansEndpoint() {
        return url() + "/api/v2/spans";
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The HTTP collector's counters from {@code /prometheus}: spans, spans_dropped, messages, messages_dropped, bytes. */
    Map<String, Long> collector() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        Matcher matcher = METRIC.matcher(get("/prometheus"));
        while (matcher.find()) {
            m.put(matcher.group(1).substring("zipkin_collector_".length()).replaceAll("_total$", ""),
                    (long) Double.parseDouble(matcher.group(2)));
        }
        if (!m.containsKey("spans")) {
            throw new IllegalStateException("Zipkin's /prometheus has no zipkin_collector_spans_total; see " + log);
        }
        return m;
    }

    /** The local service names Zipkin has seen. */
    List<String> services() {
        return json(get("/api/v2/services")).getValuesAs(JsonValue.class).stream()
                .map(v -> ((jakarta.json.JsonString) v).getString()).toList();
    }

    /** Up to {@code limit} newest stored traces with a span of {@code serviceName}, each as its spans. */
    JsonArray traces(String serviceName, int limit) {
        long endTs = System.currentTimeMillis() + 60_000;
        return json(get("/api/v2/traces?serviceName=" + URLEncoder.encode(serviceName, StandardCharsets.UTF_8)
                + "&limit=" + limit + "&endTs=" + endTs + "&lookback=" + endTs));
    }

    /** CPU time the Zipkin JVM used so far, in seconds (NaN if unknown). */
    double cpuSeconds() {
        return Cpu.seconds(process.pid());
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + url() + path + " returned HTTP " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url() + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + url() + path, e);
        }
    }

    private static JsonArray json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readArray();
        }
    }

    @Override
    public void close() {
        try {
            if (!Processes.stop(process, Duration.ofSeconds(10))) {
                System.err.println("bench: zipkin pid " + process.pid() + " did not stop");
            }
        } finally {
            lease.close();
        }
    }

    /** CPU time of a process from {@link ProcessHandle.Info#totalCpuDuration()}. */
    static final class Cpu {
        private Cpu() {
        }

        static double seconds(long pid) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
        }
    }
}
