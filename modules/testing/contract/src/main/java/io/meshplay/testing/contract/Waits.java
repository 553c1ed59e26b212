package io.meshplay.testing.contract;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Awaitility as the contracts wait: checked at once, then often, since most conditions hold within milliseconds. */
final class Waits {

    // Awaitility's default first check comes after 100 ms; every case would pay that several times over
    private static final Duration POLL = Duration.ofMillis(50);

    private Waits() {
    }

    static ConditionFactory await() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(POLL);
    }
}
