package io.meshplay.server;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.meshplay.broker.Subscription;

/** Readiness that includes registration and subscription state, as the issue asks of the Consul check. */
final class ServerHealth {

    private ServerHealth() {
    }

    static HealthCheck registry(String registryType, BooleanSupplier registered, Supplier<String> lastError) {
        return check("registry", HealthCheckType.READINESS, () -> {
            boolean up = registered.getAsBoolean();
            HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(up)
                    .detail("registry", up ? "registered" : "not registered")
                    .detail("type", registryType);
            if (!up) {
                b.detail("error", lastError.get());
            }
            return b.build();
        });
    }

    /** @param started false until the server has started its subscribers (they start after it listens) */
    static HealthCheck subscriptions(Supplier<List<Subscription>> subscriptions, BooleanSupplier started) {
        return check("broker", HealthCheckType.READINESS, () -> {
            List<Subscription> all = subscriptions.get();
            boolean up = started.getAsBoolean() && all.stream().allMatch(Subscription::active);
            HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(up);
            if (!started.getAsBoolean()) {
                b.detail("subscribers", "starting");
            }
            all.forEach(s -> b.detail(s.topic(), s.active() ? "subscribed" : "not subscribed"));
            return b.build();
        });
    }

    /**
     * Readiness of the transport security: up when off, else once the first certificate and trust anchors
     * are in; until then it says why not when the mode knows (e.g. the ACL token lacks service:write).
     */
    static HealthCheck transportSecurity(java.util.Optional<String> mode, BooleanSupplier ready,
                                         Supplier<java.util.Optional<String>> problem) {
        return check("tls", HealthCheckType.READINESS, () -> {
            boolean up = ready.getAsBoolean();
            HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(up)
                    .detail("mode", mode.orElse("off"))
                    .detail("certificate", mode.isEmpty() ? "none" : up ? "loaded" : "not yet loaded");
            if (!up) {
                problem.get().ifPresent(p -> b.detail("error", p));
            }
            return b.build();
        });
    }

    static HealthCheck check(String name, HealthCheckType type, Supplier<HealthCheckResponse> body) {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return type;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResponse call() {
                return body.get();
            }
        };
    }
}
