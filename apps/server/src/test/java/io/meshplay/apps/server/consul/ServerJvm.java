package io.meshplay.apps.server.consul;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.meshplay.apps.server.ServerMain;
import io.meshplay.testing.JavaProcess;
import io.meshplay.testing.Processes;


/**
 * The example server in its own JVM (the test's classpath, {@code ServerMain} with {@code --set}
 * overrides), so a test can SIGKILL it like a crashed server: no shutdown hook, no deregistration.
 * Its config folder is an empty temp dir, so the repo's config/ files cannot change what it does.
 *
 * <p>Callers pass {@code server.port=0}: the server binds a port the OS picks and registers it, so no
 * port is chosen before the child binds it and none can be taken in between (no {@code PortRetry} needed).
 */
final class ServerJvm implements AutoCloseable {

    private static final Pattern SERVING = Pattern.compile("serving \\S+ as (\\S+) on ");

    private final Process process;
    private final Path log;
    private final Path configDir;

    private ServerJvm(Process process, Path log, Path configDir) {
        this.process = process;
        this.log = log;
        this.configDir = configDir;
    }

    static ServerJvm start(Map<String, String> overrides) {
        try {
            Path configDir = Files.createTempDirectory("meshplay-empty-config-");
            Path log = Files.createDirectories(Path.of("target", "server-jvm-logs"))
                    .resolve("server-" + System.currentTimeMillis() + "-" + System.nanoTime() % 100_000 + ".log");
            List<String> args = new ArrayList<>();
            overrides.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
            // C1 only: fast start, as deploy/local's launcher runs servers
            List<String> command = JavaProcess.small(List.of("-XX:TieredStopAtLevel=1"), ServerMain.class.getName(), args);
            Process p = Processes.start(command, Path.of("").toAbsolutePath(), log,
                    Map.of("MESHPLAY_CONFIG_DIR", configDir.toString()));
            return new ServerJvm(p, log, configDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a server JVM", e);
        }
    }

    /** Waits for the server's "serving ... as <id>" line and returns the id it registered under. */
    String awaitInstanceId(Duration timeout) {
        return Processes.awaitLogMatch(process, log, SERVING, timeout);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** SIGKILL ({@link Process#destroyForcibly()}), then waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server JVM " + process.pid() + " survived SIGKILL for 5 s");
        }
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(5));
        try {
            Files.deleteIfExists(configDir);
        } catch (IOException e) {
            // an empty temp folder left behind is harmless
        }
    }
}
