package io.meshplay.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.meshplay.testing.PortLease;
import io.meshplay.testing.PortRetry;
import io.meshplay.testing.Processes;

/**
 * A server process the bench starts (a child JVM, or {@code deploy/local/app}, which execs one), with
 * the moments that matter for start-up figures, its RSS from {@code /proc}, and stop by PID. A server
 * child owns the lease of the port it listens on and releases it on {@link #close()}.
 */
final class ChildJvm implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(500))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String name;
    private final Process process;
    private final long spawnedNanos;
    private final Path log;
    private final PortLease ports;
    private volatile long execNanos;
    private volatile long readyNanos;

    private ChildJvm(String name, Process process, long spawnedNanos, Path log, PortLease ports) {
        this.name = name;
        this.process = process;
        this.spawnedNanos = spawnedNanos;
        this.log = log;
        this.ports = ports;
    }

    /**
     * Starts {@code command}, which listens on {@code ports}; {@code output} learns the log, so a bind
     * failure written there gets the child started again on fresh ports.
     */
    static ChildJvm start(String name, List<String> command, Map<String, String> env, Path repo, Path logDir,
                          PortLease ports, PortRetry.Output output) {
        Path log = logDir.resolve(name + ".log");
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // appended to instead
        }
        output.watch(log);
        long t0 = System.nanoTime();
        Process p = Processes.start(command, repo, log, env);
        return new ChildJvm(name, p, t0, log, ports);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    long spawnedNanos() {
        return spawnedNanos;
    }

    /** The port the server's clients dial: gRPC. */
    int port() {
        return ports.port();
    }

    /** The port of a meshplay server's observe endpoints: its second port, or its only one (helidon transport). */
    int observePort() {
        return ports.size() > 1 ? ports.port(1) : ports.port();
    }

    /** When the launcher exec'd java ({@link #awaitExec}), as recorded by whoever waited for it. */
    long execNanos() {
        return execNanos;
    }

    /** When the readiness endpoint first answered 200, as recorded by whoever waited for it. */
    long readyNanos() {
        return readyNanos;
    }

    void started(long execNanos, long readyNanos) {
        this.execNanos = execNanos;
        this.readyNanos = readyNanos;
    }

    Path log() {
        return log;
    }

    /**
     * When the process became a JVM: {@code deploy/local/app} is a bash script that picks a JDK and then
     * execs java in the same PID, so this polls {@code /proc/<pid>/cmdline} until argv[0] is java
     * (1 ms resolution). Start-up time counted from here is the JVM's, not the launcher script's.
     */
    long awaitExec(Duration timeout) {
        Path cmdline = Path.of("/proc", Long.toString(pid()), "cmdline");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String argv0 = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0", 2)[0];
                if (argv0.endsWith("/java") || argv0.equals("java")) {
                    return System.nanoTime();
                }
            } catch (IOException e) {
                throw new IllegalStateException(name + " (pid " + pid() + ") exited before it became a JVM; see " + log);
            }
            pause(1);
        }
        throw new IllegalStateException(name + " did not exec java within " + timeout + "; see " + log);
    }

    /** Polls {@code url} every {@code everyMillis} until HTTP 200; returns the nanoTime of that answer. */
    long awaitHttp200(String url, Duration timeout, long everyMillis) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before " + url
                        + " answered; see " + log);
            }
            try {
                HttpResponse<Void> r = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return System.nanoTime();
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            pause(everyMillis);
        }
        throw new IllegalStateException(name + ": " + url + " not ready within " + timeout + " (last: " + last + "); see " + log);
    }

    /** Resident set size in KiB ({@code VmRSS} of {@code /proc/<pid>/status}), or NaN once gone. */
    double rssKib() {
        return status("VmRSS");
    }

    /** A field of {@code /proc/<pid>/status} in KiB, e.g. RssAnon, RssFile. */
    double status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Double.parseDouble(line.substring(field.length() + 1).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** SIGTERM, then wait for exit; returns the seconds it took, or throws if it did not exit in time. */
    double terminate(Duration timeout) {
        long t0 = System.nanoTime();
        process.destroy();
        awaitExit(timeout);
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * SIGTERM and wait up to {@code grace}; a server still running then gets a thread dump (into
     * {@code <log>.stuck-threads.txt}) and SIGKILL. Returns null after a clean stop, else one line saying
     * what happened, for the row: a slow stop is a finding, not a reason to lose the row's figures.
     */
    String stop(Duration grace) {
        long t0 = System.nanoTime();
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Path dump = log.resolveSibling(name + ".stuck-threads.txt");
        try {
            new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(dump.toFile()).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            dump = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        return name + " (pid " + pid() + ") was still running " + Math.round((System.nanoTime() - t0) / 1e9)
                + " s after SIGTERM and was killed" + (dump == null ? "" : "; threads in " + dump);
    }

    /** SIGKILL and wait until it is gone. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") did not exit within " + timeout + "; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops it by PID if still running (SIGTERM, SIGKILL after 10 s) and releases its port. */
    @Override
    public void close() {
        try {
            Processes.stop(process, Duration.ofSeconds(10));
        } finally {
            ports.close();
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis); // polling pause inside a deadline loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
