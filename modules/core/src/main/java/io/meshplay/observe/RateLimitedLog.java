package io.meshplay.observe;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * At most a few lines per kind of event per time window; what is held back is counted and the next line
 * of that kind says how many were suppressed. A burst of bad calls or a storm of cancellations must not
 * bury everything else in the log (nor fill the disk), yet the log must still show that it happened.
 */
public final class RateLimitedLog {

    /** The default budget: 5 lines per kind per minute. */
    public static final int DEFAULT_LINES = 5;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

    private final System.Logger logger;
    private final int linesPerWindow;
    private final long windowNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();

    private RateLimitedLog(System.Logger logger, int linesPerWindow, Duration window, LongSupplier clock) {
        if (linesPerWindow < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate-limited log needs at least 1 line per positive window");
        }
        this.logger = logger;
        this.linesPerWindow = linesPerWindow;
        this.windowNanos = window.toNanos();
        this.clock = clock;
    }

    public static RateLimitedLog of(System.Logger logger) {
        return new RateLimitedLog(logger, DEFAULT_LINES, DEFAULT_WINDOW, System::nanoTime);
    }

    public static RateLimitedLog of(System.Logger logger, int linesPerWindow, Duration window) {
        return new RateLimitedLog(logger, linesPerWindow, window, System::nanoTime);
    }

    /** For tests of what uses it: a clock that the test moves. */
    static RateLimitedLog of(System.Logger logger, int linesPerWindow, Duration window, LongSupplier clock) {
        return new RateLimitedLog(logger, linesPerWindow, window, clock);
    }

    /**
     * Logs {@code message} unless this kind of event has used its budget in the current window.
     *
     * @param kind what happened, e.g. {@code grpc.oversized-request}; budgets are per kind
     * @param message built only if logged; must hold no payload and no secret
     * @return true if a line was written
     */
    public boolean log(Level level, String kind, Supplier<String> message) {
        if (!logger.isLoggable(level)) {
            return false;
        }
        long suppressed = budgets.computeIfAbsent(kind, k -> new Budget()).take(clock.getAsLong());
        if (suppressed < 0) {
            return false;
        }
        String line = message.get();
        if (suppressed > 0) {
            line += " (" + suppressed + " more like this suppressed in the last " + describe(windowNanos) + ")";
        }
        logger.log(level, line);
        return true;
    }

    /** How many lines of this kind were held back in total; for tests and metrics. */
    public long suppressed(String kind) {
        Budget budget = budgets.get(kind);
        return budget == null ? 0 : budget.totalSuppressed();
    }

    private static String describe(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        return d.toSeconds() >= 60 && d.toSecondsPart() == 0 ? d.toMinutes() + " min" : d.toMillis() + " ms";
    }

    private final class Budget {
        private long windowStart = Long.MIN_VALUE;
        private int used;
        private long heldBack;
        private long total;

        /** -1 if over budget, else the number of lines held back since the last one written. */
        synchronized long take(long now) {
            if (windowStart == Long.MIN_VALUE || now - windowStart >= windowNanos) {
                windowStart = now;
                used = 0;
            }
            if (used >= linesPerWindow) {
                heldBack++;
                total++;
                return -1;
            }
            used++;
            long n = heldBack;
            heldBack = 0;
            return n;
        }

        synchronized long totalSuppressed() {
            return total;
        }
    }
}
