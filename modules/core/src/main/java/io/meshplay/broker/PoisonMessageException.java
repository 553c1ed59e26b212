package io.meshplay.broker;

/**
 * The message can never be handled (it does not decode, say): redelivering it would only fail again,
 * so the broker moves it to the poison destination at once instead of retrying.
 */
public class PoisonMessageException extends RuntimeException {

    public PoisonMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public PoisonMessageException(String reason) {
        super(reason);
    }
}
