package io.meshplay.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises a process (or this JVM) saying that it could not bind a port, whatever it is written in:
 * Go ({@code bind: address already in use}), Node ({@code EADDRINUSE}), Java ({@code BindException},
 * {@code Address already in use}). Shared by every helper that restarts a child on fresh ports.
 */
public final class BindFailure {

    private static final Pattern MARKER = Pattern.compile("(?i)address already in use|EADDRINUSE|BindException");
    /** A bind error is printed as a child starts; more than this from one attempt is not start-up output. */
    private static final int MAX_BYTES = 1 << 20;

    private BindFailure() {
    }

    /** Whether {@code line} says a bind failed. */
    public static boolean says(String line) {
        return line != null && MARKER.matcher(line).find();
    }

    /** The first message in {@code error}'s cause chain that says a bind failed. */
    public static Optional<String> in(Throwable error) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof BindException) {
                return Optional.of(t.toString());
            }
            if (t.getMessage() != null) {
                for (String line : t.getMessage().split("\\R")) {
                    if (says(line)) {
                        return Optional.of(line.strip());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The first line of {@code log} after byte {@code from} that says a bind failed: {@code from} is where
     * the log ended before this attempt's child started, so a failure of an earlier run that appended to
     * the same file does not count.
     */
    public static Optional<String> in(Path log, long from) {
        if (log == null || !Files.isRegularFile(log)) {
            return Optional.empty();
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.min(from, file.length());
            byte[] bytes = new byte[(int) Math.min(MAX_BYTES, file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\\R")) {
                if (says(line)) {
                    return Optional.of(line.strip());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The size of {@code log} now, or 0 if it does not exist yet: the {@code from} of {@link #in(Path, long)}. */
    public static long mark(Path log) {
        try {
            return Files.isRegularFile(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
