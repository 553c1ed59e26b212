package io.meshplay.broker.azqueue;

import io.meshplay.broker.PoisonMessageException;

/** The queue text is neither the envelope nor base64: it goes to the poison queue without retries. */
final class UndecodableMessageException extends PoisonMessageException {

    UndecodableMessageException(String reason) {
        super(reason);
    }
}
