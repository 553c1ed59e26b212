package io.meshplay.registry.consul;

import io.meshplay.config.PluginProvider;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryProvider;

/** {@code registry.type: consul}; options under {@code registry.consul} ({@link ConsulRegistryOptions}). */
public final class ConsulRegistryProvider extends PluginProvider<Registry> implements RegistryProvider {

    public ConsulRegistryProvider() {
        super(ConsulRegistry.TYPE, ConsulRegistryOptions.OPTIONS, node -> new ConsulRegistry(ConsulRegistryOptions.create(node)));
    }
}
