package io.meshplay.apps.server.interop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.meshplay.registry.InstanceMetadata;

/**
 * What Consul itself says, over its HTTP API: where the instance is (every client in the suite gets its
 * address from here, never from the server), and what Consul's own gRPC check of it reports.
 */
final class ConsulView {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private ConsulView() {
    }

    /**
     * A passing instance as Consul lists it. The port is the one clients call (the gRPC port); the
     * metrics port is the instance's {@code metrics_port} meta when the observe endpoints listen
     * elsewhere (the netty transport), else the same port; the transport is its {@code grpc_transport} meta.
     */
    record Target(String id, String host, int port, int metricsPort, String transport) {
        String address() {
            return host + ":" + port;
        }
    }

    /** The single passing instance of {@code service}; fails if Consul lists none or several. */
    static Target resolve(String consulAddress, String service) {
        // a check that failed once (the case before is reported for it) is passing again within an interval or two:
        // wait for that rather than failing every case after it
        Response r = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (int i = 0; i < 100; i++) {
            r = get(consulAddress, "/v1/health/service/" + service + "?passing=true", Duration.ofSeconds(5));
            if (JsonParser.parseString(r.body()).getAsJsonArray().size() == 1 || System.nanoTime() > deadline) {
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        var entries = JsonParser.parseString(r.body()).getAsJsonArray();
        if (entries.size() != 1) {
            throw new IllegalStateException("Consul lists " + entries.size() + " passing instances of " + service
                    + ", the suite expects exactly one: " + r.body());
        }
        JsonObject node = entries.get(0).getAsJsonObject();
        JsonObject s = node.getAsJsonObject("Service");
        String host = s.get("Address").getAsString();
        if (host.isBlank()) {
            host = node.getAsJsonObject("Node").get("Address").getAsString();
        }
        int port = s.get("Port").getAsInt();
        JsonObject meta = s.has("Meta") && s.get("Meta").isJsonObject() ? s.getAsJsonObject("Meta") : new JsonObject();
        int metricsPort = meta.has(InstanceMetadata.METRICS_PORT)
                ? Integer.parseInt(meta.get(InstanceMetadata.METRICS_PORT).getAsString()) : port;
        String transport = meta.has(InstanceMetadata.GRPC_TRANSPORT) ? meta.get(InstanceMetadata.GRPC_TRANSPORT).getAsString() : "";
        return new Target(s.get("ID").getAsString(), host, port, metricsPort, transport);
    }

    /** One status Consul reported for the instance's check, with when the suite saw it. */
    record CheckStatus(Instant seen, String status, String output) {
    }

    /**
     * Follows the instance's checks with Consul's blocking queries (each returns when the checks change
     * or after the wait), recording every status, until {@link #close()}.
     */
    static final class CheckWatch implements AutoCloseable {
        private final String consulAddress;
        private final String serviceId;
        private final List<CheckStatus> seen = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean stopped;
        private volatile String error;

        CheckWatch(String consulAddress, String service, String serviceId) {
            this.consulAddress = consulAddress;
            this.serviceId = serviceId;
            this.thread = Thread.ofPlatform().daemon().name("interop-check-watch").start(() -> follow(service));
        }

        private void follow(String service) {
            String index = "0";
            // bounded: a blocking query returns at the latest after its 5 s wait, and the suite runs for minutes
            for (int i = 0; i < 10_000 && !stopped; i++) {
                try {
                    Response r = get(consulAddress, "/v1/health/checks/" + service + "?wait=5s&index=" + index,
                            Duration.ofSeconds(15));
                    index = r.index() == null ? index : r.index();
                    boolean found = false;
                    for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
                        JsonObject check = e.getAsJsonObject();
                        if (serviceId.equals(check.get("ServiceID").getAsString())) {
                            found = true;
                            seen.add(new CheckStatus(Instant.now(), check.get("Status").getAsString(),
                                    check.get("Output").getAsString().strip()));
                        }
                    }
                    if (!found && !stopped) {
                        seen.add(new CheckStatus(Instant.now(), "absent", "Consul lists no check for " + serviceId));
                    }
                } catch (RuntimeException e) {
                    if (!stopped) {
                        error = e.toString();
                    }
                    return;
                }
            }
        }

        /** Statuses other than passing seen so far, plus a watch failure if there was one. */
        List<String> problems() {
            return problemsSince(0);
        }

        /** How many statuses were seen so far: {@link #problemsSince} of it covers what follows. */
        int mark() {
            return seen.size();
        }

        /** Statuses other than passing seen after {@code mark}, plus a watch failure if there was one. */
        List<String> problemsSince(int mark) {
            List<CheckStatus> all = List.copyOf(seen);
            List<String> out = new java.util.ArrayList<>(all.subList(Math.min(mark, all.size()), all.size()).stream()
                    .filter(s -> !s.status().equals("passing"))
                    .map(s -> s.seen() + " " + s.status() + ": " + s.output()).toList());
            if (error != null) {
                out.add("watch failed: " + error);
            }
            return out;
        }

        /** The distinct check outputs seen (Consul says what kind of check it ran and against what). */
        List<String> outputs() {
            return seen.stream().map(CheckStatus::output).distinct().toList();
        }

        /**
         * The output of the instance's check as the agent itself last ran it: the catalog keeps a check's output
         * from its last status change only, and an instance registered passing (the registry's first check) has
         * none there until its status changes, while the agent writes every run's output at once.
         */
        String agentOutput() {
            for (var entry : JsonParser.parseString(get(consulAddress, "/v1/agent/checks", Duration.ofSeconds(5)).body())
                    .getAsJsonObject().entrySet()) {
                JsonObject check = entry.getValue().getAsJsonObject();
                if (serviceId.equals(check.get("ServiceID").getAsString())) {
                    return check.get("Output").getAsString().strip();
                }
            }
            return "";
        }

        int observations() {
            return seen.size();
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join(Duration.ofSeconds(20));
        }
    }

    private record Response(String body, String index) {
    }

    private static Response get(String consulAddress, String path, Duration timeout) {
        URI uri = URI.create(consulAddress + path);
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return new Response(response.body(), response.headers().firstValue("X-Consul-Index").orElse(null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }
}
