package io.meshplay.registry.memory;

import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.config.PluginProvider;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryProvider;

/**
 * {@code registry.type: memory}; {@code registry.memory.name} picks a JVM-wide registry. Each call returns
 * a new handle on it, which its creator closes.
 */
public final class MemoryRegistryProvider extends PluginProvider<Registry> implements RegistryProvider {

    public static final String TYPE = "memory";
    private static final Option<String> NAME = Option.string("name", "JVM-wide registry to join").defaultValue("default");

    public MemoryRegistryProvider() {
        super(TYPE, Options.of(NAME), node -> MemoryRegistry.shared(NAME.get(node)));
    }
}
