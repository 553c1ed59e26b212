package io.meshplay.retry;

import java.lang.System.Logger.Level;

/**
 * One log line when something starts failing and one when it works again, with how long it was down,
 * instead of a line per failed attempt: a loop that retries every few hundred milliseconds would
 * otherwise bury everything else in the log during an outage.
 */
public final class OutageLog {

    private static final System.Logger LOG = System.getLogger(OutageLog.class.getName());

    private final String subject;
    private long sinceNanos;
    private long failures;

    /** @param subject what fails, as a log line starts, e.g. {@code azqueue: receive from queue 'orders'} */
    public OutageLog(String subject) {
        this.subject = subject;
    }

    /** A failed attempt, logged as a warning if it starts an outage; true if it did. */
    public boolean failure(String description) {
        return failure(Level.WARNING, description);
    }

    /**
     * A failed attempt; only the first of an outage is logged, at {@code level} (ERROR for what will not
     * heal by itself, such as refused credentials).
     *
     * @param description what went wrong and what happens now; must hold no secret
     * @return true if this failure started an outage
     */
    public synchronized boolean failure(Level level, String description) {
        failures++;
        if (failures > 1) {
            return false;
        }
        sinceNanos = System.nanoTime();
        LOG.log(level, subject + " failed: " + description + " (logged again when it recovers)");
        return true;
    }

    /** A successful attempt; ends an outage with one line saying how long it lasted. True if one ended. */
    public synchronized boolean success() {
        if (failures == 0) {
            return false;
        }
        long millis = (System.nanoTime() - sinceNanos) / 1_000_000;
        LOG.log(Level.INFO, subject + " works again after " + failures + " failed attempt" + (failures == 1 ? "" : "s")
                + " in " + millis + " ms");
        failures = 0;
        return true;
    }

    public synchronized boolean down() {
        return failures > 0;
    }
}
