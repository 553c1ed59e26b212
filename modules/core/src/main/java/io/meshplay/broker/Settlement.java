package io.meshplay.broker;

import java.time.Duration;

/** What a broker does with a delivered message, as {@link DeliveryPolicy} decides it. */
public sealed interface Settlement {

    Settlement ACKNOWLEDGE = new Acknowledge();

    /** Handled: remove it. */
    record Acknowledge() implements Settlement {
    }

    /**
     * Failed, with attempts left: deliver it again after {@code after}.
     *
     * @param error what the handler threw, for the broker's debug log
     */
    record Redeliver(Duration after, Throwable error) implements Settlement {
    }

    /**
     * Given up: move it to the poison destination.
     *
     * @param reason the {@code poison-reason} header
     * @param error  the last error, or null when there was none (consumers kept dying)
     */
    record Reject(String reason, Throwable error) implements Settlement {

        /** The message as the poison destination stores it: the original plus the {@link Poison} headers. */
        public Message poisoned(Message original, String source, String handler, long attempts) {
            return Poison.wrap(original, source, reason, handler, error, attempts);
        }
    }
}
