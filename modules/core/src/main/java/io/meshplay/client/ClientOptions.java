package io.meshplay.client;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.helidon.config.Config;
import io.meshplay.config.Option;
import io.meshplay.config.Options;

/**
 * The {@code client} config: selection, retry and ejection policy, all handed to grpc-java as a
 * service config rather than implemented here.
 *
 * @param loadBalancing     {@code round_robin} (default) or {@code pick_first}
 * @param retryMaxAttempts  attempts per call including the first (grpc-java caps this at 5)
 * @param retryInitialBackoff first retry delay
 * @param retryMaxBackoff   largest retry delay
 * @param outlierDetection  eject instances whose calls fail, for {@code ejectionTime}
 * @param ejectionTime      base ejection time
 * @param outlierInterval   how often failure rates are evaluated
 * @param tcpNoDelay        Nagle off: without it gRPC sees 40 ms delayed-ACK stalls
 * @param hedgingDelay      zero: retries of UNAVAILABLE; positive: hedged attempts after this delay (idempotent services)
 */
public record ClientOptions(String loadBalancing,
                            int retryMaxAttempts,
                            Duration retryInitialBackoff,
                            Duration retryMaxBackoff,
                            boolean outlierDetection,
                            Duration ejectionTime,
                            Duration outlierInterval,
                            boolean tcpNoDelay,
                            Duration hedgingDelay) {

    private static final Option<String> LOAD_BALANCING = Option.oneOf("load-balancing", "how a call picks an instance",
            List.of("round_robin", "pick_first")).defaultValue("round_robin");
    private static final Option<Integer> RETRY_MAX_ATTEMPTS = Option.integer("retry.max-attempts",
                    "attempts per call including the first; UNAVAILABLE is retried on another instance")
            .range(1, 5).expected("1..5 (1 disables retries)").defaultValue(3);
    private static final Option<Duration> RETRY_INITIAL_BACKOFF = Option.duration("retry.initial-backoff",
            "first retry delay").defaultValue(Duration.ofMillis(50));
    private static final Option<Duration> RETRY_MAX_BACKOFF = Option.duration("retry.max-backoff",
            "largest retry delay").defaultValue(Duration.ofSeconds(1));
    private static final Option<Boolean> OUTLIER_DETECTION = Option.bool("outlier-detection.enabled",
            "eject instances whose calls keep failing").defaultValue(true);
    private static final Option<Duration> EJECTION_TIME = Option.duration("outlier-detection.base-ejection-time",
            "how long an instance stays ejected at first").defaultValue(Duration.ofSeconds(30));
    private static final Option<Duration> OUTLIER_INTERVAL = Option.duration("outlier-detection.interval",
            "how often failure rates are evaluated").defaultValue(Duration.ofSeconds(10));
    private static final Option<Boolean> TCP_NO_DELAY = Option.bool("tcp-no-delay",
            "Nagle off (on costs 40 ms delayed-ACK stalls)").defaultValue(true);

    // the chaos lab found it: a call sent to an instance that went silent (partitioned, not refused) waits out its
    // whole deadline, since retries only follow UNAVAILABLE; a hedge sends the next attempt elsewhere meanwhile
    private static final Option<Duration> HEDGING_DELAY = Option.duration("hedging.delay",
            "for idempotent services: send another attempt (to another instance) when none answered after this, "
                    + "up to retry.max-attempts, first answer wins; 0s = off (retries instead)").defaultValue(Duration.ZERO);

    /** What {@link #from} reads, relative to the {@code client} node. */
    public static final Options OPTIONS = Options.of(LOAD_BALANCING, RETRY_MAX_ATTEMPTS, RETRY_INITIAL_BACKOFF,
            RETRY_MAX_BACKOFF, OUTLIER_DETECTION, EJECTION_TIME, OUTLIER_INTERVAL, TCP_NO_DELAY, HEDGING_DELAY);

    public static ClientOptions defaults() {
        return from(Config.empty());
    }

    /** @param config the {@code client} node */
    public static ClientOptions from(Config config) {
        return new ClientOptions(LOAD_BALANCING.get(config), RETRY_MAX_ATTEMPTS.get(config),
                RETRY_INITIAL_BACKOFF.get(config), RETRY_MAX_BACKOFF.get(config), OUTLIER_DETECTION.get(config),
                EJECTION_TIME.get(config), OUTLIER_INTERVAL.get(config), TCP_NO_DELAY.get(config), HEDGING_DELAY.get(config));
    }

    /** The grpc-java service config (JSON as maps) for a channel to any meshplay service. */
    Map<String, Object> serviceConfig() {
        Map<String, Object> policy = hedged() ? DistinctAttempts.config(loadBalancing) : Map.of(loadBalancing, Map.of());
        Object lbConfig = outlierDetection
                ? Map.of("outlier_detection_experimental", Map.of(
                        "interval", seconds(outlierInterval),
                        "baseEjectionTime", seconds(ejectionTime),
                        "maxEjectionPercent", 50.0,
                        "failurePercentageEjection", Map.of(
                                "threshold", 50.0,
                                "enforcementPercentage", 100.0,
                                "minimumHosts", 2.0,
                                "requestVolume", 10.0),
                        "childPolicy", List.of(policy)))
                : policy;
        Map<String, Object> methodConfig = hedged()
                ? Map.of("name", List.of(Map.of()),
                        "hedgingPolicy", Map.of(
                                "maxAttempts", (double) retryMaxAttempts,
                                "hedgingDelay", seconds(hedgingDelay),
                                "nonFatalStatusCodes", List.of("UNAVAILABLE")))
                : retryMaxAttempts > 1
                ? Map.of("name", List.of(Map.of()),
                        "retryPolicy", Map.of(
                                "maxAttempts", (double) retryMaxAttempts,
                                "initialBackoff", seconds(retryInitialBackoff),
                                "maxBackoff", seconds(retryMaxBackoff),
                                "backoffMultiplier", 2.0,
                                "retryableStatusCodes", List.of("UNAVAILABLE")))
                : Map.of("name", List.of(Map.of()));
        return Map.of("loadBalancingConfig", List.of(lbConfig), "methodConfig", List.of(methodConfig));
    }

    /** Hedged attempts instead of retries: each attempt then goes to an instance the call has not tried. */
    boolean hedged() {
        return retryMaxAttempts > 1 && hedgingDelay.isPositive();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }
}
