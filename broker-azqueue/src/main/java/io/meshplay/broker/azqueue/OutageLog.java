package io.meshplay.broker.azqueue;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;

/**
 * One log line when requests to a queue start failing and one when they work again, instead of a
 * line per failed poll during an outage (an idle subscriber polls up to ten times a second).
 */
final class OutageLog {

    private static final System.Logger LOG = System.getLogger(OutageLog.class.getName());

    private final String what;
    private Instant since;
    private long failures;

    /** @param what what is failing, e.g. {@code receive from queue 'orders'} */
    OutageLog(String what) {
        this.what = what;
    }

    synchronized void failure(String description, boolean permanent) {
        failures++;
        if (since == null) {
            since = Instant.now();
            LOG.log(permanent ? Level.ERROR : Level.WARNING, "azqueue: " + what + " failed: " + description
                    + "; retrying with backoff (logged again when it recovers)");
        }
    }

    synchronized void success() {
        if (since != null) {
            LOG.log(Level.INFO, "azqueue: " + what + " works again after " + failures + " failed attempts in "
                    + Duration.between(since, Instant.now()).toMillis() + " ms");
            since = null;
            failures = 0;
        }
    }

    synchronized boolean down() {
        return since != null;
    }
}
