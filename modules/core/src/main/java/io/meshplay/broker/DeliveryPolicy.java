package io.meshplay.broker;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.meshplay.config.ConfigErrors;
import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.retry.Backoff;

/**
 * The delivery contract every broker keeps, so a handler behaves the same on any of them: a handler
 * that returns acknowledges; one that throws gets the message again after {@code retry-backoff},
 * doubled per attempt up to {@code max-retry-backoff}; the {@code max-attempts}th failure, a
 * {@link PoisonMessageException} or an {@link UndecodableMessageException} moves it to the poison
 * destination with the {@link Poison} headers.
 *
 * <p>The settings are read from the broker's own node ({@code broker.<type>}) under the same names for
 * every broker. Keys that brokers used before they shared this policy fail with the name to use.
 */
public final class DeliveryPolicy {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofMinutes(1);
    // a queue service keeps a message hidden for at most this long (Azure: 7 days); longer waits cannot be honoured
    private static final Duration LONGEST_BACKOFF = Duration.ofDays(7);
    private static final Option<Integer> MAX_ATTEMPTS = Option.integer("max-attempts",
                    "deliveries before a message goes to <topic>-poison with the reason")
            .range(1, 1000).defaultValue(DEFAULT_MAX_ATTEMPTS);
    private static final Option<Duration> RETRY_BACKOFF = Option.duration("retry-backoff",
            "pause before a failed message is delivered again, doubling per attempt").range(Duration.ZERO, LONGEST_BACKOFF);
    // its range and default follow retry-backoff when the policy is read
    private static final Option<Duration> MAX_RETRY_BACKOFF = Option.duration("max-retry-backoff",
                    "longest pause between deliveries, at least retry-backoff")
            .range(Duration.ZERO, LONGEST_BACKOFF).defaultValue(DEFAULT_MAX_RETRY_BACKOFF);
    // each of these named one of the settings in one broker; rejected in every broker, since each means the same thing there
    private static final Map<String, String> RENAMED = Map.of(
            "max-dequeue-count", "max-attempts",
            "redelivery-delay", "retry-backoff");

    private final int maxAttempts;
    private final Backoff backoff;

    public DeliveryPolicy(int maxAttempts, Duration retryBackoff, Duration maxRetryBackoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.backoff = Backoff.exponential(retryBackoff, maxRetryBackoff);
    }

    /**
     * The keys {@link #create} reads, for {@code --help}.
     *
     * @param defaultRetryBackoff the broker's default first pause
     */
    public static Options options(Duration defaultRetryBackoff) {
        return Options.of(MAX_ATTEMPTS, RETRY_BACKOFF.defaultValue(defaultRetryBackoff), MAX_RETRY_BACKOFF);
    }

    /**
     * The policy configured under a broker's node.
     *
     * @param node                the broker's node, e.g. {@code broker.azqueue} (may be missing: defaults)
     * @param defaultRetryBackoff the broker's default first pause (a queue service that counts whole
     *                            seconds wants a longer one than an in-memory queue)
     */
    public static DeliveryPolicy create(Config node, Duration defaultRetryBackoff) {
        RENAMED.forEach((old, current) -> ConfigErrors.rejectRenamed(node, old, current));
        int attempts = MAX_ATTEMPTS.get(node);
        Duration first = RETRY_BACKOFF.defaultValue(defaultRetryBackoff).get(node);
        Duration cap = MAX_RETRY_BACKOFF.range(first, LONGEST_BACKOFF)
                .defaultValue(first.compareTo(DEFAULT_MAX_RETRY_BACKOFF) > 0 ? first : DEFAULT_MAX_RETRY_BACKOFF)
                .get(node);
        return new DeliveryPolicy(attempts, first, cap);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration retryBackoff() {
        return backoff.initial();
    }

    public Duration maxRetryBackoff() {
        return backoff.max();
    }

    /** The pause before redelivering a message whose {@code attempt}th delivery failed. */
    public Duration backoff(long attempt) {
        return backoff.delay(attempt);
    }

    /**
     * Runs the handler on one delivery and decides what becomes of the message. Never throws: whatever
     * the handler throws is part of the decision.
     */
    public Settlement handle(Handler handler, Event event) {
        try {
            handler.handle(event);
            return Settlement.ACKNOWLEDGE;
        } catch (Exception | Error e) {
            return failed(event.attempt(), e);
        }
    }

    /** The decision after the {@code attempt}th delivery failed with {@code error}. */
    public Settlement failed(long attempt, Throwable error) {
        if (error instanceof PoisonMessageException poison) {
            return rejected(poison);
        }
        if (attempt >= maxAttempts) {
            return new Settlement.Reject("handler failed " + attempt + " times (max-attempts " + maxAttempts + ")", error);
        }
        return new Settlement.Redeliver(backoff(attempt), error);
    }

    /** A message that can never be handled: the reason says whether it did not decode or the handler refused it. */
    public Settlement.Reject rejected(PoisonMessageException e) {
        String reason = e instanceof UndecodableMessageException ? e.getMessage() : "handler rejected the message: " + e.getMessage();
        return new Settlement.Reject(reason, e);
    }

    /**
     * For a broker whose attempt count is the service's receive count: a message received more often than
     * {@code max-attempts} was never settled (its consumers stopped or crashed while handling it) and is
     * given up before the handler sees it again. A broker that counts settlements never needs this.
     */
    public Optional<Settlement.Reject> beforeHandling(long attempt) {
        if (attempt <= maxAttempts) {
            return Optional.empty();
        }
        return Optional.of(new Settlement.Reject("delivered " + attempt + " times without being settled (consumers stopped "
                + "or crashed while handling it); max-attempts is " + maxAttempts, null));
    }

    @Override
    public String toString() {
        return "max-attempts=" + maxAttempts + ", retry-backoff=" + retryBackoff() + ", max-retry-backoff=" + maxRetryBackoff();
    }
}
