package io.meshplay.registry;

import io.helidon.config.Config;

/**
 * A registry plug-in, found through {@link java.util.ServiceLoader} and chosen by {@code registry.type}.
 */
public interface RegistryProvider {

    /** The name used in {@code registry.type}. */
    String type();

    /**
     * Creates the registry.
     *
     * @param config the {@code registry} node; a plug-in reads its own options under {@code <type>}
     */
    Registry create(Config config);
}
