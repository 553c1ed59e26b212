package io.meshplay.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.meshplay.registry.InstanceMetadata;
import io.meshplay.testing.Ports;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.consul.ConsulAgent;

/**
 * What every row shares: the bench's own Consul agent and Azurite on free loopback ports (stopped by
 * PID at the end), the repository, the output folder and the plan. Child processes started through
 * {@link #child} are stopped on close as well, whatever a row left running.
 */
final class BenchEnv implements AutoCloseable {

    final BenchPlan plan;
    final Path repo;
    final Path outDir;
    final Path logDir;
    final ConsulAgent consul;
    final Azurite azurite;
    private final List<ChildJvm> children = new ArrayList<>();

    private BenchEnv(BenchPlan plan, Path repo, Path outDir, ConsulAgent consul, Azurite azurite) {
        this.plan = plan;
        this.repo = repo;
        this.outDir = outDir;
        this.logDir = outDir.resolve("logs");
        this.consul = consul;
        this.azurite = azurite;
    }

    static BenchEnv start(BenchPlan plan, Path repo, Path outDir) {
        ConsulAgent consul = ConsulAgent.start();
        try {
            Azurite azurite = Azurite.launch();
            return new BenchEnv(plan, repo, outDir, consul, azurite);
        } catch (RuntimeException e) {
            consul.close();
            throw e;
        }
    }

    /** A child process, stopped at the latest when the bench ends. */
    synchronized ChildJvm child(String name, List<String> command, Map<String, String> env) {
        ChildJvm c = ChildJvm.start(name, command, env, repo, logDir);
        children.add(c);
        return c;
    }

    /** A {@link ServerChild} serving Example through meshplay, registered as {@code service}; waits until ready. */
    /** A {@link ServerChild} serving Example through MeshplayServer on {@code transport}; waits until it is ready. */
    ChildJvm meshplayServer(String name, String service, String transport, ServerPorts ports) {
        List<String> flags = new ArrayList<>(ChildJvm.quietFlags());
        // for experiments: e.g. -Dserver.protocols.grpc.enable-compression=false (config reads system properties)
        String extra = System.getenv("MESHPLAY_BENCH_SERVER_OPTS");
        if (extra != null && !extra.isBlank()) {
            flags.addAll(List.of(extra.strip().split("\\s+")));
        }
        ChildJvm c = child(name, ChildJvm.java(flags, ServerChild.class.getName(),
                List.of("meshplay", transport, Integer.toString(ports.grpc()), Integer.toString(ports.observe()), service,
                        consul.httpAddress())), configEnv());
        c.awaitHttp200(healthUrl(ports.observe()), Duration.ofSeconds(60), 20);
        return c;
    }

    /** A {@link ServerChild} serving Example through a plain grpc-java Netty server; waits until it listens. */
    ChildJvm nettyServer(String name, int port) {
        ChildJvm c = child(name, ChildJvm.java(ChildJvm.quietFlags(), ServerChild.class.getName(),
                List.of("netty", Integer.toString(port))), configEnv());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Ports.listening(port)) {
            if (!c.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the Netty server child did not listen on " + port + "; see " + c.log());
            }
            ChildJvm.pause(20);
        }
        return c;
    }

    /**
     * The example server app as users run it: {@code deploy/local/app server} (its JVM sizing defaults,
     * config/ as shipped, default gRPC transport) with the bench's Consul and free ports set through {@code --set}.
     *
     * @param javaOpts appended by the launcher after its own flags (e.g. an AOT cache); may be empty
     * @param sets     further {@code key=value} overrides
     */
    ChildJvm appServer(String name, String service, ServerPorts ports, String javaOpts, Map<String, String> sets) {
        List<String> command = new ArrayList<>(List.of(repo.resolve("deploy/local/app").toString(), "server"));
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("service.name", service);
        all.put("server.port", Integer.toString(ports.observe()));
        all.put("grpc.port", Integer.toString(ports.grpc()));
        all.put("registry.type", "consul");
        all.put("registry.consul.address", consul.httpAddress());
        all.put("broker.azqueue.endpoint", azurite.endpoint());
        all.putAll(sets);
        all.forEach((k, v) -> {
            command.add("--set");
            command.add(k + "=" + v);
        });
        Map<String, String> env = new java.util.HashMap<>(configEnv());
        env.put("JAVA_OPTS", javaOpts);
        return child(name, command, env);
    }

    static String healthUrl(int port) {
        return "http://127.0.0.1:" + port + InstanceMetadata.DEFAULT_HEALTH_PATH;
    }

    /** The environment for apps: the shipped config/ folder and this JVM's JDK. */
    Map<String, String> configEnv() {
        return Map.of("MESHPLAY_CONFIG_DIR", repo.resolve("config").toString(),
                "JAVA_HOME", System.getProperty("java.home"));
    }

    @Override
    public void close() {
        List<ChildJvm> left;
        synchronized (this) {
            left = List.copyOf(children);
        }
        left.forEach(ChildJvm::close);
        try {
            azurite.close();
        } finally {
            consul.close();
        }
    }
}
