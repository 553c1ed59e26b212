package io.meshplay.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pauses between retries: {@code initial}, then multiplied by {@code multiplier} per retry up to
 * {@code max}. One rule for every loop that retries, so "how long until it tries again" reads the same
 * everywhere. An {@code initial} above {@code max} is capped, as every later pause is.
 *
 * <p>Jitter shortens each pause by a random fraction up to {@code jitter} (0.2: 80–100 % of it), so
 * processes that failed together do not all retry in the same instant; never longer, so {@code max}
 * stays a promise.
 */
public final class Backoff {

    // past this many doublings any sane maximum is reached; stops the counter from growing without end
    private static final int MAX_STEPS = 64;

    private final Duration initial;
    private final Duration max;
    private final double multiplier;
    private final double jitter;
    private int step;

    public Backoff(Duration initial, Duration max, double multiplier, double jitter) {
        if (initial.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative, were " + initial + " and " + max);
        }
        if (!(multiplier >= 1)) {
            throw new IllegalArgumentException("backoff multiplier must be at least 1, was " + multiplier);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("backoff jitter must be from 0 to 1, was " + jitter);
        }
        this.initial = initial;
        this.max = max;
        this.multiplier = multiplier;
        this.jitter = jitter;
    }

    /** Doubling from {@code initial} up to {@code max}, without jitter. */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, 2, 0);
    }

    /** The pause before the next retry; each call moves one step up. */
    public Duration next() {
        int current;
        synchronized (this) {
            current = ++step;
            step = Math.min(step, MAX_STEPS);
        }
        Duration pause = delay(current);
        if (jitter == 0 || pause.isZero()) {
            return pause;
        }
        double kept = 1 - ThreadLocalRandom.current().nextDouble() * jitter;
        return Duration.ofNanos((long) (pause.toNanos() * kept));
    }

    /** It worked: the next pause is {@code initial} again. */
    public synchronized void reset() {
        step = 0;
    }

    /**
     * The pause before retry number {@code retry} (1 for the first), without jitter: for callers whose
     * retry count lives elsewhere, such as a message's delivery count.
     */
    public Duration delay(long retry) {
        double nanos = initial.toNanos() * Math.pow(multiplier, Math.max(0, Math.min(retry, MAX_STEPS) - 1));
        return nanos >= max.toNanos() ? max : Duration.ofNanos(Math.round(nanos));
    }

    public Duration initial() {
        return initial;
    }

    public Duration max() {
        return max;
    }

    @Override
    public String toString() {
        return "Backoff[" + initial + " x" + multiplier + " up to " + max + (jitter > 0 ? ", jitter " + jitter : "") + "]";
    }
}
