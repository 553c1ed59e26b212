package io.meshplay.config;

import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

import io.helidon.config.Config;

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
        TreeMap<String, P> known = installed(spi, name);
        String type = typeOption(config.name(), known, defaultType).get(config);
        P chosen = known.get(type);
        if (chosen == null) {
            throw ConfigErrors.invalid(config.get("type"), type, "one of the installed plug-ins " + known.keySet());
        }
        return chosen;
    }

    /**
     * What {@code --help} lists for an area: {@code <area>.type}, then each installed plug-in's options
     * under {@code <area>.<type>}.
     *
     * @param area    {@code registry} or {@code broker}
     * @param options a provider's declared options
     */
    public static <P> Options options(String area, Class<P> spi, Function<P, String> name, Function<P, Options> options,
                                      String defaultType) {
        TreeMap<String, P> known = installed(spi, name);
        Options all = Options.of(typeOption(area, known, defaultType)).under(area);
        for (var provider : known.entrySet()) {
            all = all.and(options.apply(provider.getValue()).under(area + "." + provider.getKey()));
        }
        return all;
    }

    private static Option<String> typeOption(String area, TreeMap<String, ?> known, String defaultType) {
        return Option.oneOf("type", area + " plug-in", List.copyOf(known.keySet()))
                .expected("one of the installed plug-ins " + known.keySet())
                .defaultValue(defaultType);
    }

    private static <P> TreeMap<String, P> installed(Class<P> spi, Function<P, String> name) {
        TreeMap<String, P> known = new TreeMap<>();
        for (P provider : ServiceLoader.load(spi, Plugins.class.getClassLoader())) {
            known.putIfAbsent(name.apply(provider), provider);
        }
        for (P provider : ServiceLoader.load(spi)) {
            known.putIfAbsent(name.apply(provider), provider);
        }
        return known;
    }
}
