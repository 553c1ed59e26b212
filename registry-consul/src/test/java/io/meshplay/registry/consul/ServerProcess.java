package io.meshplay.registry.consul;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.meshplay.testing.JavaProcess;
import io.meshplay.testing.PortLease;
import io.meshplay.testing.PortRetry;
import io.meshplay.testing.Ports;
import io.meshplay.testing.Processes;

/**
 * A {@link HealthServer} in its own JVM, so a test can SIGKILL it like a crashed server. Its port is
 * leased; a child that cannot bind it is started again on a fresh one.
 */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final PortLease ports;

    private ServerProcess(Process process, PortLease ports) {
        this.process = process;
        this.ports = ports;
    }

    static ServerProcess start() {
        return PortRetry.start("health server JVM", 1, (ports, output) -> {
            int port = ports.port();
            Path log = output.watch(Files.createTempFile("meshplay-health-server-", ".log"));
            Process p = Processes.start(JavaProcess.command(List.of(), HealthServer.class.getName(),
                    List.of(Integer.toString(port))), Path.of("."), log, Map.of());
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("health server exited: " + Files.readString(log));
                    }
                    return Ports.listening(port);
                });
            } catch (RuntimeException e) {
                Processes.stop(p, Duration.ofSeconds(2));
                throw e;
            }
            return new ServerProcess(p, ports);
        });
    }

    int port() {
        return ports.port();
    }

    /** SIGKILL: no shutdown hooks, no goodbye to Consul. The port stays leased until {@link #close()}. */
    void kill() {
        Processes.kill(process.pid());
    }

    @Override
    public void close() {
        try {
            Processes.stop(process, Duration.ofSeconds(2));
        } finally {
            ports.close();
        }
    }
}
