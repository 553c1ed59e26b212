package io.meshplay.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.meshplay.testing.Processes;

/**
 * The lab's hosts as deploy/local/chaos made them: one network namespace per host on the lab bridge, named
 * {@code <prefix>-<host>}, with the address {@code <net>.<n>}. Every process is started inside its host's
 * namespace with {@code ip netns exec}, which execs the command in the same PID, so stopping by PID works.
 */
final class Lab {

    static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(500))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    final String prefix;
    final String net;
    final Path dir;
    final Path repo;
    final String javaBin;
    final String consul;
    final String azurite;

    Lab(Map<String, String> env) {
        prefix = require(env, "CHAOS_PREFIX");
        net = require(env, "CHAOS_NET");
        dir = Path.of(require(env, "CHAOS_DIR")).toAbsolutePath();
        repo = Path.of(require(env, "MESHPLAY_ROOT")).toAbsolutePath();
        javaBin = Path.of(require(env, "JAVA_HOME"), "bin", "java").toString();
        consul = require(env, "MESHPLAY_CONSUL_BIN");
        azurite = require(env, "MESHPLAY_AZURITE_BIN");
    }

    private static String require(Map<String, String> env, String key) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(key + " is not set: run the lab through deploy/local/chaos");
        }
        return v;
    }

    /** Host names and their last address byte; must match deploy/local/chaos. */
    static final List<String> CONSUL_SERVERS = List.of("c1", "c2", "c3");
    static final List<String> SERVER_HOSTS = List.of("h1", "h2", "h3");
    static final String LOAD_HOST = "h4";
    static final String QUEUE_HOST = "h5";

    String address(String host) {
        int n = switch (host) {
            case "c1" -> 11; case "c2" -> 12; case "c3" -> 13;
            case "h1" -> 21; case "h2" -> 22; case "h3" -> 23; case "h4" -> 24; case "h5" -> 25;
            default -> throw new IllegalArgumentException(host);
        };
        return net + "." + n;
    }

    String consulHttp(String host) {
        return "http://" + address(host) + ":8500";
    }

    String queueEndpoint() {
        return "http://" + address(QUEUE_HOST) + ":10001/devstoreaccount1";
    }

    Process start(String host, String name, List<String> command, Map<String, String> env) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "-" + host));
        full.addAll(command);
        return Processes.start(full, repo, dir.resolve("logs").resolve(name + ".log"), env);
    }

    /** Runs a short command in a host's namespace (iptables), bounded by a deadline. */
    void exec(String host, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", prefix + "-" + host));
        full.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed in " + host + ": "
                        + new String(p.getInputStream().readAllBytes()).strip());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** GET, or null when the peer does not answer (a partitioned or stopped host is a normal case here). */
    static String get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Polls {@code condition} every 50 ms; the elapsed time, or -1 at the deadline. */
    static long await(Duration timeout, BooleanSupplier condition) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            try {
                Thread.sleep(50); // poll interval, not synchronisation: the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }
}
