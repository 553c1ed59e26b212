package io.meshplay.registry.consul;

import io.helidon.config.Config;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryProvider;

/** {@code registry.type: consul}; options under {@code registry.consul}. */
public final class ConsulRegistryProvider implements RegistryProvider {

    @Override
    public String type() {
        return ConsulRegistry.TYPE;
    }

    @Override
    public Registry create(Config config) {
        return new ConsulRegistry(ConsulRegistryOptions.from(config));
    }
}
