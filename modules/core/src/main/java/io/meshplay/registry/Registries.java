package io.meshplay.registry;

import io.helidon.config.Config;
import io.meshplay.config.Options;
import io.meshplay.config.Plugins;

/** Creates the registry named by config. */
public final class Registries {

    /** Used when {@code registry.type} is not set: needs no outside process. */
    public static final String DEFAULT_TYPE = "memory";

    private Registries() {
    }

    /**
     * @param registryConfig the {@code registry} node
     */
    public static Registry create(Config registryConfig) {
        return Plugins.load(registryConfig, RegistryProvider.class, RegistryProvider::type, DEFAULT_TYPE)
                .create(registryConfig);
    }

    /** {@code registry.type} and the options of every installed registry plug-in, for {@code --help}. */
    public static Options options() {
        return Plugins.options("registry", RegistryProvider.class, RegistryProvider::type, RegistryProvider::options, DEFAULT_TYPE);
    }
}
