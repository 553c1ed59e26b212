package io.meshplay.grpcjson;

/**
 * A failure meant for a person: one readable line and what kind of failure it is, so each user of this
 * module can map it to its own answer (the CLI to an exit code, the gateway to an HTTP status).
 */
public class GrpcJsonException extends RuntimeException {

    /** What went wrong, in the terms a caller maps to its own codes. */
    public enum Kind {
        /** The named service, method or type does not exist. */
        NOT_FOUND,
        /** The input was wrong: malformed JSON, JSON that does not fit the type, a badly written name. */
        BAD_INPUT,
        /** Tried and failed: a server without reflection, an unreadable descriptor, a broken response. */
        FAILED
    }

    private final Kind kind;

    public GrpcJsonException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static GrpcJsonException notFound(String message) {
        return new GrpcJsonException(Kind.NOT_FOUND, message, null);
    }

    public static GrpcJsonException badInput(String message) {
        return new GrpcJsonException(Kind.BAD_INPUT, message, null);
    }

    public static GrpcJsonException badInput(String message, Throwable cause) {
        return new GrpcJsonException(Kind.BAD_INPUT, message, cause);
    }

    public static GrpcJsonException failed(String message) {
        return new GrpcJsonException(Kind.FAILED, message, null);
    }

    public static GrpcJsonException failed(String message, Throwable cause) {
        return new GrpcJsonException(Kind.FAILED, message, cause);
    }
}
