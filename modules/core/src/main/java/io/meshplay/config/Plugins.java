package io.meshplay.config;

import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/** Chooses a {@link ServiceLoader} provider by the name in {@code <area>.type}, as go-micro does by flag. */
public final class Plugins {

    private Plugins() {
    }

    /**
     * Loads the provider named by {@code config.get("type")}.
     *
     * @param config      the area's node, e.g. {@code registry}
     * @param spi         the provider interface
     * @param name        how a provider names itself
     * @param defaultType used when {@code type} is absent
     */
    public static <P> P load(Config config, Class<P> spi, Function<P, String> name, String defaultType) {
        Config typeNode = config.get("type");
        String type = typeNode.asString().orElse(defaultType);
        TreeMap<String, P> known = new TreeMap<>();
        for (P provider : ServiceLoader.load(spi, Plugins.class.getClassLoader())) {
            known.putIfAbsent(name.apply(provider), provider);
        }
        for (P provider : ServiceLoader.load(spi)) {
            known.putIfAbsent(name.apply(provider), provider);
        }
        P chosen = known.get(type);
        if (chosen == null) {
            throw new ConfigException("config key '" + typeNode.key() + "' is '" + type
                    + "'; expected one of the installed plug-ins " + known.keySet());
        }
        return chosen;
    }
}
