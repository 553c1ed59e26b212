package io.meshplay.broker;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.meshplay.config.ConfigErrors;
import io.meshplay.config.Durations;
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
    private static final int MOST_ATTEMPTS = 1000;
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
     * The policy configured under a broker's node.
     *
     * @param node                the broker's node, e.g. {@code broker.azqueue} (may be missing: defaults)
     * @param defaultRetryBackoff the broker's default first pause (a queue service that counts whole
     *                            seconds wants a longer one than an in-memory queue)
     */
    public static DeliveryPolicy create(Config node, Duration defaultRetryBackoff) {
        RENAMED.forEach((old, current) -> ConfigErrors.rejectRenamed(node, old, current));
        Config attemptsNode = node.get("max-attempts");
        int attempts = attemptsNode.asString().map(String::strip)
                .map(text -> parseAttempts(attemptsNode, text))
                .orElse(DEFAULT_MAX_ATTEMPTS);
        Duration first = duration(node.get("retry-backoff"), defaultRetryBackoff, Duration.ZERO);
        Duration cap = duration(node.get("max-retry-backoff"), first.compareTo(DEFAULT_MAX_RETRY_BACKOFF) > 0
                ? first : DEFAULT_MAX_RETRY_BACKOFF, first);
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

    private static int parseAttempts(Config node, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= MOST_ATTEMPTS) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ConfigErrors.invalid(node, text, "an integer from 1 to " + MOST_ATTEMPTS);
    }

    private static Duration duration(Config node, Duration defaultValue, Duration min) {
        Duration value = Durations.get(node, defaultValue);
        if (value.compareTo(min) < 0 || value.compareTo(LONGEST_BACKOFF) > 0) {
            throw ConfigErrors.invalid(node, node.asString().orElse(""), "a duration from " + min + " to " + LONGEST_BACKOFF
                    + " (e.g. 500ms, 5s, 1m or PT5S)");
        }
        return value;
    }
}
