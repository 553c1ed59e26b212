package io.meshplay.testing.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.meshplay.testing.PortLease;
import io.meshplay.testing.PortRetry;
import io.meshplay.testing.Processes;

/**
 * A real Prometheus (Debian's build, via MESHPLAY_PROMETHEUS_BIN or deploy/local/provision-prometheus)
 * on a leased loopback port (started again on a fresh one if it cannot bind it), discovering targets from
 * a server's http_sd endpoint, scraping every second. Stopped by PID; its TSDB lives in a temp dir
 * deleted on close.
 */
public final class PrometheusProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final PortLease ports;
    private final int port;
    private final Path workDir;
    private final Path log;
    private final Process process;

    private PrometheusProcess(PortLease ports, Path workDir, Path log, Process process) {
        this.ports = ports;
        this.port = ports.port();
        this.workDir = workDir;
        this.log = log;
        this.process = process;
    }

    /** Starts Prometheus and waits until it is ready. */
    public static PrometheusProcess start(String sdUrl) {
        Path binary = Processes.tool("prometheus");
        return PortRetry.start("prometheus", 1, (ports, output) -> {
            Path workDir;
            try {
                workDir = Files.createTempDirectory("meshplay-prometheus-" + ports.port() + "-");
                Files.writeString(workDir.resolve("prometheus.yml"), config(sdUrl));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a Prometheus config", e);
            }
            Path log = output.watch(Path.of("target", "mesh-logs", "prometheus-" + ports.port() + ".log"));
            Process process = Processes.start(List.of(
                    binary.toString(),
                    "--config.file=" + workDir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + workDir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + ports.port(),
                    "--log.level=warn"), workDir, log, Map.of());
            PrometheusProcess p = new PrometheusProcess(ports, workDir, log, process);
            try {
                Processes.waitForHttp(p.url() + "/-/ready", Duration.ofSeconds(30), process);
            } catch (RuntimeException e) {
                p.close();
                throw new IllegalStateException(e.getMessage() + "; log " + log, e);
            }
            return p;
        });
    }

    /** The same shape as deploy/prometheus/prometheus-http-sd.yml, with test intervals. */
    public static String config(String sdUrl) {
        return """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: meshplay
                    http_sd_configs:
                      - url: %s
                        refresh_interval: 1s
                """.formatted(sdUrl);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** The instant vector of {@code promql}: one entry per series, labels and value. */
    public List<Sample> query(String promql) {
        String uri = url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("query " + promql + " returned HTTP " + response.statusCode() + ": " + response.body());
            }
            JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
            List<Sample> samples = new ArrayList<>();
            for (JsonElement e : body.getAsJsonObject("data").getAsJsonArray("result")) {
                JsonObject series = e.getAsJsonObject();
                Map<String, String> labels = new java.util.TreeMap<>();
                series.getAsJsonObject("metric").entrySet().forEach(l -> labels.put(l.getKey(), l.getValue().getAsString()));
                JsonArray value = series.getAsJsonArray("value");
                samples.add(new Sample(labels, Double.parseDouble(value.get(1).getAsString())));
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException("query " + promql + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public record Sample(Map<String, String> labels, double value) {
    }

    @Override
    public void close() {
        try {
            if (!Processes.stop(process, Duration.ofSeconds(10))) {
                throw new IllegalStateException("prometheus pid " + process.pid() + " did not stop");
            }
        } finally {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp dir is harmless
            } finally {
                ports.close();
            }
        }
    }
}
