package io.meshplay.apps.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.meshplay.testing.JavaProcess;

/**
 * The real server app in a child JVM, as a user starts it, with stdout and stderr kept apart: what a
 * start-up error looks like on the terminal and which code the process exits with.
 *
 * @param exitCode the child's exit code
 * @param stderr   its stderr, line by line
 */
record ServerStart(int exitCode, List<String> stderr) {

    /** Ample for a JVM that stops at its first config check, on a busy 2-core machine; a hang fails the test. */
    private static final long TIMEOUT_SECONDS = 45;
    /** A log line of logging.properties' format ("12:34:56.789 WARNING logger - text"), not an error report. */
    private static final String LOG_LINE = "^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*";

    /**
     * Runs {@code ServerMain args} in {@code workDir} with {@code env} over this JVM's environment minus
     * MESHPLAY_CONFIG_DIR and MESHPLAY_DEBUG; waits for it to exit (it must: every case here fails at start).
     */
    static ServerStart run(Path workDir, Map<String, String> env, List<String> args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "stdout-", ".log");
        Path err = Files.createTempFile(workDir, "stderr-", ".log");
        ProcessBuilder builder = new ProcessBuilder(JavaProcess.small(List.of("-XX:TieredStopAtLevel=1"),
                ServerMain.class.getName(), args))
                .directory(workDir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove("MESHPLAY_CONFIG_DIR");
        builder.environment().remove("MESHPLAY_DEBUG");
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the server did not exit within " + TIMEOUT_SECONDS + " s; stderr: " + Files.readString(err));
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return new ServerStart(process.exitValue(), Files.readAllLines(err));
    }

    /** The stderr lines that are not log lines: what the start-up error report consists of. */
    List<String> report() {
        return stderr.stream().filter(line -> !line.matches(LOG_LINE)).toList();
    }

    boolean hasStackFrames() {
        return stderr.stream().anyMatch(line -> line.startsWith("\tat "));
    }
}
