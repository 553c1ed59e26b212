package io.meshplay.registry;

import java.util.Objects;

/**
 * One health check of an instance, as the registry reports it.
 *
 * @param id     the check's id in the registry
 * @param name   its name, for people
 * @param status its last result
 * @param output what the check last said (typically why it fails); empty when nothing
 */
public record InstanceCheck(String id, String name, HealthStatus status, String output) {

    public InstanceCheck {
        id = id == null ? "" : id;
        name = name == null ? "" : name;
        Objects.requireNonNull(status, "status");
        output = output == null ? "" : output;
    }
}
