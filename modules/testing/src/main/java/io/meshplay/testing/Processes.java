package io.meshplay.testing;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Starts and stops the real processes tests run against (Consul, Azurite, servers): by PID, with
 * deadlines, never by name, so parallel test runs on one machine do not stop each other's processes.
 */
public final class Processes {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private Processes() {
    }

    /**
     * Starts {@code command} with stdout and stderr appended to {@code log}, so a failing test can show
     * what the process said.
     *
     * @param env extra environment variables (may be empty)
     */
    public static Process start(List<String> command, Path workDir, Path log, Map<String, String> env) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst(), e);
        }
    }

    /**
     * Stops the process with this PID: SIGTERM, then SIGKILL if it is still alive after {@code grace}.
     * Unknown or already finished PIDs are fine.
     *
     * @return true if the process is gone
     */
    public static boolean stop(long pid, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        return stop(handle.get(), grace);
    }

    /** As {@link #stop(long, Duration)}, for a process this JVM started. */
    public static boolean stop(Process process, Duration grace) {
        return process == null || stop(process.toHandle(), grace);
    }

    private static boolean stop(ProcessHandle handle, Duration grace) {
        handle.destroy();
        if (waitForExit(handle, grace)) {
            return true;
        }
        handle.destroyForcibly();
        return waitForExit(handle, Duration.ofSeconds(5));
    }

    /** SIGKILL, for tests of crashed instances; waits until the process is gone. */
    public static boolean kill(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        handle.get().destroyForcibly();
        return waitForExit(handle.get(), Duration.ofSeconds(5));
    }

    private static boolean waitForExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        }
    }

    /**
     * Polls {@code url} (GET) until a response with a 2xx status satisfies {@code body}, the process dies,
     * or the deadline passes.
     *
     * @param process  the process expected to serve it, or null; its death ends the wait early
     * @param headers  request headers (e.g. a token), may be empty
     * @return the body that satisfied the predicate
     * @throws IllegalStateException naming the URL and the last status or error on timeout
     */
    public static String waitForHttp(String url, Map<String, String> headers, Predicate<String> body,
                                     Duration timeout, Process process) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no attempt";
        while (Instant.now().isBefore(deadline)) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("process " + process.pid() + " exited with " + process.exitValue()
                        + " while waiting for " + url);
            }
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(2))
                        .GET();
                headers.forEach(request::header);
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2 && body.test(response.body())) {
                    return response.body();
                }
                last = "HTTP " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + url, e);
            }
            pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + url + " (last: " + last + ")");
    }

    /** As {@link #waitForHttp(String, Map, Predicate, Duration, Process)}: any 2xx response. */
    public static String waitForHttp(String url, Duration timeout, Process process) {
        return waitForHttp(url, Map.of(), b -> true, timeout, process);
    }

    /**
     * Waits until {@code log} holds a match of {@code pattern} and returns its first group, e.g. the instance
     * id from a server's "serving ... as <id>" line; fails at once, with the log, if the process exits first.
     */
    public static String awaitLogMatch(Process process, Path log, java.util.regex.Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text;
            try {
                text = java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "";
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + log, e);
            }
            java.util.regex.Matcher m = pattern.matcher(text);
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("process " + process.pid() + " exited with " + process.exitValue()
                        + " before its log matched " + pattern + "; log " + log + ":\n" + text);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no match of " + pattern + " in " + log + " within " + timeout);
            }
            pause(Duration.ofMillis(100));
        }
    }

    /** Polling pause inside a wait loop with a deadline; not a synchronisation primitive. */
    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The repository root: the first folder at or above the working directory holding
     * {@code deploy/local}, so tests find provisioning scripts whether run by Maven or an IDE.
     */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/local"))) {
                return p;
            }
        }
        throw new IllegalStateException("no deploy/local folder at or above " + dir);
    }

    /**
     * The executable for a tool: {@code MESHPLAY_<TOOL>_BIN} if set (the test entry point provisions it),
     * else the stdout of {@code deploy/local/provision-<tool>}.
     */
    public static Path tool(String tool) {
        String env = "MESHPLAY_" + tool.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_BIN";
        String fromEnv = System.getenv(env);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path bin = Path.of(fromEnv);
            if (Files.isExecutable(bin)) {
                return bin;
            }
            throw new IllegalStateException(env + "=" + fromEnv + " is not an executable file");
        }
        Path script = repoRoot().resolve("deploy/local/provision-" + tool);
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("set " + env + " or provide " + script);
        }
        try {
            Process p = new ProcessBuilder(script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within 10 minutes");
            }
            if (p.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException(script + " failed with exit code " + p.exitValue());
            }
            String[] lines = out.split("\\R");
            return Path.of(lines[lines.length - 1].trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }
}
