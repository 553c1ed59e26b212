package io.meshplay.testing.azurite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.meshplay.testing.PortLease;
import io.meshplay.testing.PortRetry;
import io.meshplay.testing.Processes;

/**
 * A real Azurite queue service on 127.0.0.1 for tests: a leased port (started again on a fresh one if it
 * cannot bind it, see {@link PortRetry}), a temporary data folder, stopped by PID. Data survives
 * {@link #restart()} (same port, same folder), so tests can restart it under running subscribers.
 */
public final class Azurite implements AutoCloseable {

    /** Azurite's built-in account; public and documented by Microsoft, so fine in tests. */
    public static final String ACCOUNT = "devstoreaccount1";
    /** The public well-known key of {@link #ACCOUNT}. */
    public static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(500))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final Path executable;
    private final PortLease lease;
    private final int port;
    private final Path location;
    private final Path log;
    private Process process;

    private Azurite(Path executable, PortLease lease, Path location, Path log) {
        this.executable = executable;
        this.lease = lease;
        this.port = lease.port();
        this.location = location;
        this.log = log;
    }

    /** Provisions Azurite if needed (see {@link Processes#tool}) and starts it on a leased port. */
    public static Azurite launch() {
        Path executable = Processes.tool("azurite");
        return PortRetry.start("azurite", 1, (ports, output) -> {
            Path location;
            try {
                location = Files.createTempDirectory("meshplay-azurite-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a data folder for Azurite", e);
            }
            Path log = output.watch(Path.of("target", "azurite", "azurite-" + ports.port() + ".log").toAbsolutePath());
            Azurite azurite = new Azurite(executable, ports, location, log);
            try {
                azurite.startProcess();
                return azurite;
            } catch (RuntimeException e) {
                azurite.close();
                throw e;
            }
        });
    }

    public int port() {
        return port;
    }

    /** The queue service endpoint of the dev account, e.g. {@code http://127.0.0.1:PORT/devstoreaccount1}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    public String account() {
        return ACCOUNT;
    }

    public String key() {
        return KEY;
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";QueueEndpoint=" + endpoint() + ";";
    }

    /** The PID of the running Azurite, or -1 when stopped. */
    public long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    public Path log() {
        return log;
    }

    /** Starts Azurite again on the same port and data folder after {@link #stop()}. */
    public synchronized void start() {
        if (process == null || !process.isAlive()) {
            startProcess();
        }
    }

    /** Stops Azurite (SIGTERM, then SIGKILL after a grace period) and waits until it is gone. */
    public synchronized void stop() {
        if (process != null) {
            if (!Processes.stop(process, Duration.ofSeconds(5))) {
                throw new IllegalStateException("Azurite (pid " + process.pid() + ") did not stop");
            }
            process = null;
        }
    }

    /** Stops and starts Azurite on the same port with the same data; returns when it answers again. */
    public synchronized void restart() {
        stop();
        startProcess();
    }

    /** Stops Azurite, deletes its data and releases its port. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            try (Stream<Path> files = Files.walk(location)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp folder is harmless
            }
            lease.close();
        }
    }

    @Override
    public String toString() {
        return "Azurite[" + endpoint() + ", pid " + pid() + "]";
    }

    private void startProcess() {
        List<String> command = List.of(executable.toString(),
                "--queueHost", "127.0.0.1",
                "--queuePort", Integer.toString(port),
                "--location", location.toString(),
                "--disableTelemetry",
                "--silent");
        process = Processes.start(command, location, log, Map.of());
        try {
            awaitAnswer();
        } catch (RuntimeException e) {
            Processes.stop(process, Duration.ofSeconds(2));
            process = null;
            throw e;
        }
    }

    /** Any HTTP answer counts: unauthenticated requests get 4xx, which proves the service is up. */
    private void awaitAnswer() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        URI uri = URI.create(endpoint() + "?comp=list");
        String last = "no attempt";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with " + process.exitValue() + " on start; see " + log);
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() > 0) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Azurite", e);
            }
            try {
                Thread.sleep(50); // polling pause inside a deadline loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Azurite", e);
            }
        }
        throw new IllegalStateException("Azurite did not answer on " + uri + " within " + START_TIMEOUT + " (last: " + last + "); see " + log);
    }
}
