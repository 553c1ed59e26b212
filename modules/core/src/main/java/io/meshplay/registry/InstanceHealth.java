package io.meshplay.registry;

import java.util.List;
import java.util.Objects;

/**
 * A registered instance with its health, healthy or not: what {@link RegistryInspection} reports.
 *
 * @param instance the instance as registered
 * @param status   the worst of its checks
 * @param checks   its checks; empty for a registry that does not check (then the instance is passing)
 */
public record InstanceHealth(ServiceInstance instance, HealthStatus status, List<InstanceCheck> checks) {

    public InstanceHealth {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(status, "status");
        checks = List.copyOf(checks);
    }

    /** The instance with its checks; its status is the worst of theirs. */
    public static InstanceHealth of(ServiceInstance instance, List<InstanceCheck> checks) {
        return new InstanceHealth(instance, HealthStatus.worst(checks.stream().map(InstanceCheck::status).toList()), checks);
    }

    /** An instance of a registry without checks: registered means healthy. */
    public static InstanceHealth passing(ServiceInstance instance) {
        return new InstanceHealth(instance, HealthStatus.PASSING, List.of());
    }

    public String id() {
        return instance.id();
    }
}
