package io.meshplay.apps.server.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.meshplay.apps.server.ServerMain;
import io.meshplay.testing.Ports;
import io.meshplay.testing.Processes;

/**
 * The example server as its own JVM on the test's classpath, as users run it: config/ from the repo,
 * overrides with --set. Each instance has its own metrics registry, so per-instance counters in
 * Prometheus mean what they say (in-process servers would share Helidon's global registry).
 */
final class ServerProcess implements AutoCloseable {

    private final int port;
    private final int grpcPort;
    private final Path log;
    private final Process process;

    private ServerProcess(Map<String, String> overrides) {
        int[] ports = Ports.free(2);
        this.port = ports[0];
        this.grpcPort = ports[1];
        this.log = Path.of("target", "mesh-logs", "server-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx128m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                "--set", "server.port=" + port, "--set", "grpc.port=" + grpcPort));
        overrides.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.process = Processes.start(command, Path.of("").toAbsolutePath(), log,
                Map.of("MESHPLAY_CONFIG_DIR", Processes.repoRoot().resolve("config").toString()));
    }

    /** Starts a server JVM without waiting; {@link #awaitReady()} waits for it. */
    static ServerProcess launch(Map<String, String> overrides) {
        return new ServerProcess(overrides);
    }

    /** Waits until the server answers on its readiness endpoint (it is registered); stops it on failure. */
    ServerProcess awaitReady() {
        try {
            Processes.waitForHttp(url() + "/observe/health/ready", Duration.ofSeconds(30), process);
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException(e.getMessage() + "; log " + log, e);
        }
        return this;
    }

    /** The observe endpoints' port (metrics, health). */
    int port() {
        return port;
    }

    /** The gRPC port, the one registered. */
    int grpcPort() {
        return grpcPort;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The id the server registers: the runtime's default {@code <name>-<host>-<port>}. */
    String instanceId() {
        return io.meshplay.registry.ServiceInstance.defaultId("example", "127.0.0.1", grpcPort);
    }

    Path log() {
        return log;
    }

    /** SIGTERM (the server deregisters first), SIGKILL after 15 s. */
    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(15));
    }
}
