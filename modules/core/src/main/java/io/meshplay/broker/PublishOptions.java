package io.meshplay.broker;

import java.time.Duration;
import java.util.Optional;

/**
 * Per-publish options.
 *
 * @param timeToLive      how long the message may wait; empty means the broker's service default
 * @param visibilityDelay how long before the message can first be received
 */
public record PublishOptions(Optional<Duration> timeToLive, Duration visibilityDelay) {

    public static final PublishOptions DEFAULT = new PublishOptions(Optional.empty(), Duration.ZERO);

    public PublishOptions {
        timeToLive = timeToLive == null ? Optional.empty() : timeToLive;
        visibilityDelay = visibilityDelay == null ? Duration.ZERO : visibilityDelay;
    }

    public PublishOptions withTimeToLive(Duration ttl) {
        return new PublishOptions(Optional.of(ttl), visibilityDelay);
    }

    public PublishOptions withVisibilityDelay(Duration delay) {
        return new PublishOptions(timeToLive, delay);
    }
}
