package io.meshplay.registry;

import io.helidon.config.Config;
import io.meshplay.config.Options;

/**
 * A registry plug-in, found through {@link java.util.ServiceLoader} and chosen by {@code registry.type}.
 */
public interface RegistryProvider {

    /** The name used in {@code registry.type}. */
    String type();

    /**
     * The options it reads under {@code registry.<type>}, which every app's {@code --help} lists. A provider
     * that extends {@link io.meshplay.config.PluginProvider} declares them in its constructor.
     */
    default Options options() {
        return Options.none();
    }

    /**
     * Creates the registry.
     *
     * @param config the {@code registry} node; a plug-in reads its own options under {@code <type>}
     */
    Registry create(Config config);
}
