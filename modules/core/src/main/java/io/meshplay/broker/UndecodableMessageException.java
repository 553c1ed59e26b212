package io.meshplay.broker;

/**
 * The message cannot be decoded, by the broker (its text on the queue) or by a typed layer (its body).
 * Like any {@link PoisonMessageException} it goes to the poison destination at once; its message is
 * the whole {@code poison-reason}, since it already says what could not be read and why.
 */
public class UndecodableMessageException extends PoisonMessageException {

    public UndecodableMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public UndecodableMessageException(String reason) {
        super(reason);
    }
}
