package io.meshplay.config;

/**
 * A start-up failure whose message is already the one line a user should read (it names the key and
 * what went wrong), with the exit code {@link Startup} ends the app with. The cause, for {@code --verbose},
 * keeps the stack trace that the line replaces.
 */
public class StartupException extends RuntimeException {

    private final int exitCode;

    public StartupException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
