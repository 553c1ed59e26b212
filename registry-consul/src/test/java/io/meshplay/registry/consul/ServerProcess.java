package io.meshplay.registry.consul;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.meshplay.testing.Ports;
import io.meshplay.testing.Processes;

/** A {@link HealthServer} in its own JVM, so a test can SIGKILL it like a crashed server. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ServerProcess start() throws Exception {
        int port = Ports.free();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("meshplay-health-server-", ".log");
        Process p = Processes.start(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                HealthServer.class.getName(), Integer.toString(port)), Path.of("."), log, Map.of());
        ServerProcess server = new ServerProcess(p, port);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("health server exited: " + Files.readString(log));
                }
                return Ports.listening(port);
            });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    /** SIGKILL: no shutdown hooks, no goodbye to Consul. */
    void kill() {
        Processes.kill(process.pid());
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(2));
    }
}
