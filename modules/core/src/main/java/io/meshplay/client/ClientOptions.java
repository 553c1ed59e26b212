package io.meshplay.client;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.helidon.config.Config;
import io.meshplay.config.ConfigErrors;
import io.meshplay.config.Durations;

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
 */
public record ClientOptions(String loadBalancing,
                            int retryMaxAttempts,
                            Duration retryInitialBackoff,
                            Duration retryMaxBackoff,
                            boolean outlierDetection,
                            Duration ejectionTime,
                            Duration outlierInterval,
                            boolean tcpNoDelay) {

    private static final List<String> POLICIES = List.of("round_robin", "pick_first");

    public static ClientOptions defaults() {
        return new ClientOptions("round_robin", 3, Duration.ofMillis(50), Duration.ofSeconds(1),
                true, Duration.ofSeconds(30), Duration.ofSeconds(10), true);
    }

    /** @param config the {@code client} node */
    public static ClientOptions from(Config config) {
        ClientOptions d = defaults();
        Config lbNode = config.get("load-balancing");
        String lb = lbNode.asString().orElse(d.loadBalancing()).toLowerCase(Locale.ROOT).replace('-', '_');
        if (!POLICIES.contains(lb)) {
            throw ConfigErrors.invalid(lbNode, lb, "one of " + POLICIES);
        }
        Config attemptsNode = config.get("retry.max-attempts");
        int attempts = attemptsNode.asInt().orElse(d.retryMaxAttempts());
        if (attempts < 1 || attempts > 5) {
            throw ConfigErrors.invalid(attemptsNode, attempts, "1..5 (1 disables retries)");
        }
        return new ClientOptions(lb, attempts,
                Durations.get(config.get("retry.initial-backoff"), d.retryInitialBackoff()),
                Durations.get(config.get("retry.max-backoff"), d.retryMaxBackoff()),
                config.get("outlier-detection.enabled").asBoolean().orElse(d.outlierDetection()),
                Durations.get(config.get("outlier-detection.base-ejection-time"), d.ejectionTime()),
                Durations.get(config.get("outlier-detection.interval"), d.outlierInterval()),
                config.get("tcp-no-delay").asBoolean().orElse(d.tcpNoDelay()));
    }

    /** The grpc-java service config (JSON as maps) for a channel to any meshplay service. */
    Map<String, Object> serviceConfig() {
        Map<String, Object> policy = Map.of(loadBalancing, Map.of());
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
        Map<String, Object> methodConfig = retryMaxAttempts > 1
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

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }
}
