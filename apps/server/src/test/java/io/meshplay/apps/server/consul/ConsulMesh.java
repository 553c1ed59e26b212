package io.meshplay.apps.server.consul;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Channel;
import io.meshplay.client.ServedBy;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.testing.consul.ConsulAgent;

/**
 * What the server-level Consul tests share: the config a mesh member gets, Consul's own view of a
 * service (read over its HTTP API, not through our registry), readiness, and one call that says who
 * served it.
 */
final class ConsulMesh {

    static final String SERVICE = "example";
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private ConsulMesh() {
    }

    /** Server and client config for a Consul at {@code address}, with the tests' short check interval. */
    static Map<String, String> config(String address, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "service.name", SERVICE,
                "registry.type", "consul",
                "registry.consul.address", address,
                "registry.consul.check.interval", "1s",
                "registry.consul.check.timeout", "1s",
                // the tests time how soon a stopped instance is dropped: after one failed check
                "registry.consul.check.failures-before-critical", "1",
                "broker.type", "memory"));
        config.putAll(extra);
        return config;
    }

    static Map<String, String> config(ConsulAgent consul) {
        return config(consul.httpAddress(), Map.of());
    }

    /** One entry of {@code /v1/health/service/<name>}: the service and the status of its own check(s). */
    record Entry(String id, int port, List<String> tags, Map<String, String> meta, List<Check> checks) {

        boolean passing() {
            return !checks.isEmpty() && checks.stream().allMatch(c -> c.status().equals("passing"));
        }
    }

    /** A check of one instance as Consul reports it; the output says what Consul saw. */
    record Check(String id, String status, String output) {
    }

    /** Consul's view of {@code service}, every instance whatever its checks say, keyed by service ID. */
    static Map<String, Entry> health(ConsulAgent consul, String service) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (JsonElement e : JsonParser.parseString(consul.get("/v1/health/service/" + service)).getAsJsonArray()) {
            JsonObject s = e.getAsJsonObject().getAsJsonObject("Service");
            String id = s.get("ID").getAsString();
            List<String> tags = new ArrayList<>();
            if (s.has("Tags") && s.get("Tags").isJsonArray()) {
                s.getAsJsonArray("Tags").forEach(t -> tags.add(t.getAsString()));
            }
            Map<String, String> meta = new LinkedHashMap<>();
            if (s.has("Meta") && s.get("Meta").isJsonObject()) {
                s.getAsJsonObject("Meta").entrySet().forEach(m -> meta.put(m.getKey(), m.getValue().getAsString()));
            }
            List<Check> checks = new ArrayList<>();
            for (JsonElement c : e.getAsJsonObject().getAsJsonArray("Checks")) {
                JsonObject check = c.getAsJsonObject();
                // the node's serfHealth check has an empty ServiceID; only the instance's own check counts
                if (id.equals(check.get("ServiceID").getAsString())) {
                    // a check registered passing has no output until its status changes: its notes say why
                    String output = check.get("Output").getAsString().strip();
                    checks.add(new Check(check.get("CheckID").getAsString(), check.get("Status").getAsString(),
                            output.isEmpty() && check.has("Notes") ? check.get("Notes").getAsString().strip() : output));
                }
            }
            entries.put(id, new Entry(id, s.get("Port").getAsInt(), tags, meta, checks));
        }
        return entries;
    }

    /** IDs Consul reports passing for {@code service}: what clients may be sent to. */
    static List<String> passingIds(ConsulAgent consul, String service) {
        return health(consul, service).values().stream().filter(Entry::passing).map(Entry::id).toList();
    }

    /** Status and body of the server's readiness endpoint. */
    record Readiness(int status, String body) {
    }

    static Readiness readiness(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Readiness(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET readiness on port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One unary call; returns the instance that served it (the {@code meshplay-instance} header). */
    static String call(Channel channel, String name) {
        ServedBy by = new ServedBy();
        var reply = ExampleGrpc.newBlockingStub(channel).withInterceptors(by.interceptor())
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .call(Request.newBuilder().setName(name).build());
        if (!reply.getMsg().equals("Hello " + name)) {
            throw new AssertionError("unexpected reply '" + reply.getMsg() + "' from " + by.instance());
        }
        return by.instance();
    }

    static double millis(long nanos) {
        return Math.round(nanos / 1e5) / 10.0;
    }
}
