package io.meshplay.apps.server.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.meshplay.apps.server.ServerMain;
import io.meshplay.testing.JavaProcess;
import io.meshplay.testing.PortLease;
import io.meshplay.testing.PortRetry;
import io.meshplay.testing.Processes;

/**
 * The example server as its own JVM on the test's classpath, as users run it: config/ from the repo,
 * overrides with --set, on two leased ports, observe then gRPC (started again on fresh ones if it cannot
 * bind them). Each
 * instance has its own metrics registry, so per-instance counters in Prometheus mean what they say
 * (in-process servers would share Helidon's global registry).
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** Every attempt's wait and stop, plus slack for starting the JVMs. */
    private static final Duration START_TIMEOUT = READY_TIMEOUT.plusSeconds(20).multipliedBy(PortRetry.ATTEMPTS);

    /** The start runs in the background, so several servers start at once; it stops what it started on failure. */
    private final CompletableFuture<Started> start;

    private ServerProcess(CompletableFuture<Started> start) {
        this.start = start;
    }

    /** Starts a server JVM without waiting; {@link #awaitReady()} waits for it. */
    public static ServerProcess launch(Map<String, String> overrides) {
        CompletableFuture<Started> start = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("server-process-start").start(() -> {
            try {
                start.complete(PortRetry.start("server JVM", 2, (ports, output) -> Started.start(ports, output, overrides)));
            } catch (Throwable e) {
                start.completeExceptionally(e);
            }
        });
        return new ServerProcess(start);
    }

    /** Waits until the server answers on its readiness endpoint (it is registered). */
    public ServerProcess awaitReady() {
        started();
        return this;
    }

    /** The observe endpoints' port (metrics, health, http_sd). */
    public int port() {
        return started().ports.port(0);
    }

    /** The gRPC port, the one registered. */
    public int grpcPort() {
        return started().ports.port(1);
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The id the server registers: the runtime's default {@code <name>-<host>-<port>}. */
    public String instanceId() {
        return io.meshplay.registry.ServiceInstance.defaultId("example", "127.0.0.1", grpcPort());
    }

    public Path log() {
        return started().log;
    }

    /** SIGTERM (the server deregisters first), SIGKILL after 15 s; waits for a start still under way. */
    @Override
    public void close() {
        Started s;
        try {
            s = start.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // a failed start stopped its own JVM; a start still running after every attempt's deadline cannot be
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        s.close();
    }

    private Started started() {
        try {
            return start.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the server JVM did not start within " + START_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One server JVM that answered its readiness endpoint. */
    private record Started(PortLease ports, Path log, Process process) implements AutoCloseable {

        static Started start(PortLease ports, PortRetry.Output output, Map<String, String> overrides) {
            Path log = Path.of("target", "mesh-logs", "server-" + ports.port() + ".log");
            List<String> args = new ArrayList<>(List.of(
                    "--set", "server.port=" + ports.port(0), "--set", "grpc.port=" + ports.port(1)));
            overrides.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
            List<String> command = JavaProcess.small(List.of(), ServerMain.class.getName(), args);
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            output.watch(log);
            Process process = Processes.start(command, Path.of("").toAbsolutePath(), log,
                    Map.of("MESHPLAY_CONFIG_DIR", Processes.repoRoot().resolve("config").toString()));
            try {
                Processes.waitForHttp("http://127.0.0.1:" + ports.port() + "/observe/health/ready", READY_TIMEOUT, process);
            } catch (RuntimeException e) {
                Processes.stop(process, Duration.ofSeconds(15));
                throw new IllegalStateException(e.getMessage() + "; log " + log, e);
            }
            return new Started(ports, log, process);
        }

        @Override
        public void close() {
            try {
                Processes.stop(process, Duration.ofSeconds(15));
            } finally {
                ports.close();
            }
        }
    }
}
