package io.meshplay.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshplay.testing.Processes;

/**
 * Every process of the lab, by name, each restartable in its host: Consul servers {@code consul-c1..3},
 * Consul client agents {@code agent-h1..5}, Azurite, meshplay servers {@code server-h1..3}, the load client
 * and the subscriber. Stopping is by PID (a SIGKILL is {@link #kill}); {@link #close} stops them all.
 */
final class Cluster implements AutoCloseable {

    private final Lab lab;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, String> extra;

    Cluster(Lab lab, Map<String, String> extra) {
        this.lab = lab;
        this.extra = extra;
    }

    void startAll() throws IOException {
        Files.createDirectories(lab.dir.resolve("logs"));
        // hcl: raft_multiplier 1 makes an election take ~1-2 s instead of ~14 s (STACK.md)
        Files.writeString(lab.dir.resolve("consul.hcl"), "performance { raft_multiplier = 1 }\n");
        for (String c : Lab.CONSUL_SERVERS) {
            startConsul(c);
        }
        for (String h : hosts()) {
            startConsul(h);
        }
        require(Lab.await(Duration.ofSeconds(60), () -> leader() != null), "no Consul leader within 60 s");
        for (String h : hosts()) {
            String host = h;
            require(Lab.await(Duration.ofSeconds(60), () -> Lab.get(lab.consulHttp(host) + "/v1/catalog/nodes") != null
                    && Lab.get(lab.consulHttp(host) + "/v1/catalog/nodes").contains("\"Node\":\"" + host + "\"")),
                    "agent " + h + " did not join within 60 s");
        }
        startAzurite();
        for (String h : Lab.SERVER_HOSTS) {
            startServer(h);
        }
        startSubscriber();
    }

    private static List<String> hosts() {
        List<String> hosts = new ArrayList<>(Lab.SERVER_HOSTS);
        hosts.add(Lab.LOAD_HOST);
        hosts.add(Lab.QUEUE_HOST);
        return hosts;
    }

    static void require(long elapsed, String error) {
        if (elapsed < 0) {
            throw new IllegalStateException(error);
        }
    }

    /** The leader's host (c1..c3), as the load host's agent sees it, or null. */
    String leader() {
        String body = Lab.get(lab.consulHttp(Lab.LOAD_HOST) + "/v1/status/leader");
        if (body == null) {
            return null;
        }
        for (String c : Lab.CONSUL_SERVERS) {
            if (body.contains(lab.address(c) + ":")) {
                return c;
            }
        }
        return null;
    }

    void startConsul(String host) {
        String addr = lab.address(host);
        List<String> cmd = new ArrayList<>(List.of(lab.consul, "agent", "-node", host, "-bind", addr,
                "-client", addr + " 127.0.0.1", "-data-dir", lab.dir.resolve("consul-data").resolve(host).toString(),
                "-disable-host-node-id", "-config-file", lab.dir.resolve("consul.hcl").toString(), "-log-level", "warn"));
        if (Lab.CONSUL_SERVERS.contains(host)) {
            cmd.addAll(List.of("-server", "-bootstrap-expect", "3"));
        }
        for (String c : Lab.CONSUL_SERVERS) {
            if (!c.equals(host)) {
                cmd.addAll(List.of("-retry-join", lab.address(c), "-retry-interval", "1s"));
            }
        }
        put((Lab.CONSUL_SERVERS.contains(host) ? "consul-" : "agent-") + host, lab.start(host, "consul-" + host, cmd, Map.of()));
    }

    void startAzurite() {
        Path location = lab.dir.resolve("azurite");
        try {
            Files.createDirectories(location);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + location);
        }
        put("azurite", lab.start(Lab.QUEUE_HOST, "azurite", List.of(lab.azurite, "--queueHost", lab.address(Lab.QUEUE_HOST),
                "--queuePort", "10001", "--location", location.toString(), "--disableTelemetry", "--silent"), Map.of()));
        require(Lab.await(Duration.ofSeconds(30), () -> Lab.get(lab.queueEndpoint() + "?comp=list") != null
                || reachable(lab.address(Lab.QUEUE_HOST), 10001)), "Azurite did not answer within 30 s");
    }

    private static boolean reachable(String host, int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    void startServer(String host) {
        String addr = lab.address(host);
        List<String> cmd = new ArrayList<>(jvm("-Xmx256m"));
        cmd.addAll(List.of("-jar", lab.repo.resolve("apps/server/target/meshplay-server.jar").toString()));
        for (String set : List.of("server.host=" + addr, "server.port=8080", "grpc.port=9090",
                "registry.consul.address=" + lab.consulHttp(host),
                // the lab's short intervals, so recovery is measured in seconds (not production defaults)
                "registry.consul.check.interval=1s", "registry.consul.reconcile-interval=1s",
                "broker.azqueue.endpoint=" + lab.queueEndpoint(),
                // the servers' own subscription stays off the lab's queue: the subscriber is measured alone
                "subscriber.topic=chaos-idle", "service.shutdown-timeout=5s")) {
            cmd.addAll(List.of("--set", set));
        }
        put("server-" + host, lab.start(host, "server-" + host, cmd, Map.of()));
    }

    void startSubscriber() {
        List<String> cmd = new ArrayList<>(jvm("-Xmx256m"));
        cmd.addAll(List.of("-cp", jar(), SubscriberMain.class.getName(), lab.queueEndpoint(), lab.dir.toString()));
        put("subscriber", lab.start(Lab.QUEUE_HOST, "subscriber", cmd, extra));
    }

    void startLoad(int rate) {
        List<String> cmd = new ArrayList<>(jvm("-Xmx384m"));
        cmd.addAll(List.of("-cp", jar(), LoadMain.class.getName(), lab.consulHttp(Lab.LOAD_HOST), lab.queueEndpoint(),
                lab.dir.toString(), Integer.toString(rate)));
        put("load", lab.start(Lab.LOAD_HOST, "load", cmd, extra));
    }

    private String jar() {
        return lab.repo.resolve("modules/chaos/target/meshplay-chaos.jar").toString();
    }

    private List<String> jvm(String heap) {
        List<String> cmd = new ArrayList<>(List.of(lab.javaBin, heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        return cmd;
    }

    private synchronized void put(String name, Process p) {
        processes.put(name, p);
    }

    synchronized Process process(String name) {
        return processes.get(name);
    }

    void kill(String name) {
        Processes.kill(process(name).pid());
    }

    /** SIGTERM and wait for a clean exit (SIGKILL after {@code grace}). */
    void stop(String name, Duration grace) {
        Processes.stop(process(name), grace);
    }

    @Override
    public synchronized void close() {
        List<String> names = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(names);
        for (String n : names) {
            Processes.stop(processes.get(n), Duration.ofSeconds(5));
        }
    }
}
