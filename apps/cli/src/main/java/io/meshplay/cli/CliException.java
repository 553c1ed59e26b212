package io.meshplay.cli;

/**
 * An error meant for the user: one readable line and the exit code it maps to. Anything else that
 * reaches the top is mapped by {@link ErrorHandler}.
 */
public class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliException notFound(String message) {
        return new CliException(ExitCodes.NOT_FOUND, message);
    }

    public static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    public static CliException usage(String message, Throwable cause) {
        return new CliException(ExitCodes.USAGE, message, cause);
    }

    public static CliException failed(String message, Throwable cause) {
        return new CliException(ExitCodes.FAILED, message, cause);
    }

    public static CliException failed(String message) {
        return new CliException(ExitCodes.FAILED, message);
    }
}
