package io.meshplay.broker.azqueue;

import java.time.Duration;

/**
 * Azure queues have no long polling, so an idle subscriber must sleep between receives. Sleeping
 * long saves requests (each one is billed) but delays the first message after a quiet spell, so the
 * pause starts short and doubles while the queue stays empty; any message resets it and the next
 * receive happens at once. The same shape serves as the backoff after a failed request.
 */
final class AdaptivePolling {

    static final Duration MIN = Duration.ofMillis(100);

    private final Duration min;
    private final Duration max;
    private Duration next;

    AdaptivePolling(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 < min <= max, was " + min + " and " + max);
        }
        this.min = min;
        this.max = max;
        this.next = min;
    }

    AdaptivePolling(Duration max) {
        this(MIN.compareTo(max) < 0 ? MIN : max, max);
    }

    /** The pause before the next receive after an empty (or failed) one; doubles up to the maximum. */
    synchronized Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    /** A receive brought messages (or succeeded): start short again. */
    synchronized void reset() {
        next = min;
    }
}
