package io.meshplay.registry.memory;

import io.helidon.config.Config;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryProvider;

/**
 * {@code registry.type: memory}; {@code registry.memory.name} picks a JVM-wide registry (default
 * {@code default}). Each call returns a new handle on it, which its creator closes.
 */
public final class MemoryRegistryProvider implements RegistryProvider {

    public static final String TYPE = "memory";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Registry create(Config config) {
        return MemoryRegistry.shared(config.get(TYPE).get("name").asString().orElse("default"));
    }
}
