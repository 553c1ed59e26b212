package io.meshplay.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;

/**
 * Loads an app's config, highest priority first: explicit overrides, environment variables
 * ({@code REGISTRY_CONSUL_ADDRESS} for {@code registry.consul.address}, {@code _dash_} for a dash),
 * system properties, {@code <dir>/<app>.yaml}, {@code <dir>/meshplay.yaml}, then the built-in
 * {@code meshplay-defaults.yaml}. The directory is {@code --config-dir}, else {@code MESHPLAY_CONFIG_DIR},
 * else {@code ./config}.
 *
 * <p>What start-up checks here, so a mistake is one line before anything opens: a folder someone named
 * exists; each file parses (the error names the file); unknown keys in the files and {@code --set} are
 * warnings with the nearest known key ({@link UnknownKeys}); every option the app declares is valid; and
 * without any config folder the app runs only when the plug-ins and its required keys are given
 * otherwise, since the built-in defaults are in-JVM plug-ins no other process can see.
 */
public final class MeshplayConfig {

    public static final String DEFAULTS_RESOURCE = "meshplay-defaults.yaml";
    /** Without a config folder these must come from the environment or {@code --set}. */
    static final List<String> REQUIRED_WITHOUT_FOLDER = List.of("registry.type", "broker.type");

    private MeshplayConfig() {
    }

    public static Path configDir() {
        return ConfigFolder.choose(null, System.getenv()).dir();
    }

    /** The config of app {@code app} (e.g. {@code server}); unknown keys are checked in the plug-ins' sections only. */
    public static Config load(String app, Map<String, String> overrides) {
        return load(app, overrides, null, Options.none(), warning -> System.err.println(app + ": warning: " + warning));
    }

    /**
     * The config of app {@code app}, checked against the options it declares.
     *
     * @param configDir the {@code --config-dir} value, or null
     * @param appKeys   the app's own options (full keys); validated here, and their sections checked for unknown keys
     * @param warn      where warnings go (one line each)
     */
    public static Config load(String app, Map<String, String> overrides, String configDir, Options appKeys,
                              Consumer<String> warn) {
        ConfigFolder folder = ConfigFolder.choose(configDir, System.getenv());
        folder.requireIfNamed();
        UnknownKeys unknown = UnknownKeys.forApp(appKeys);
        List<Supplier<? extends ConfigSource>> sources = new ArrayList<>();
        if (!overrides.isEmpty()) {
            sources.add(ConfigSources.create(overrides));
            unknown.warnings(build(List.of(ConfigSources.create(overrides))), "--set").forEach(warn);
        }
        sources.add(ConfigSources.environmentVariables());
        sources.add(ConfigSources.systemProperties());
        for (String name : List.of(app + ".yaml", "meshplay.yaml")) {
            folder.read(name).ifPresent(file -> {
                unknown.warnings(file, folder.file(name).toString()).forEach(warn);
                sources.add(ConfigSources.file(folder.file(name)));
            });
        }
        if (!folder.exists()) {
            requireWithoutFolder(folder, overrides, appKeys);
        }
        sources.add(ConfigSources.classpath(DEFAULTS_RESOURCE));
        Config config = build(sources);
        appKeys.validate(config);
        return config;
    }

    /** Only the built-in defaults and {@code overrides}: what tests use, independent of files and env. */
    public static Config of(Map<String, String> overrides) {
        return build(List.of(ConfigSources.create(overrides), ConfigSources.classpath(DEFAULTS_RESOURCE)));
    }

    private static void requireWithoutFolder(ConfigFolder folder, Map<String, String> overrides, Options appKeys) {
        Config given = build(List.of(ConfigSources.create(overrides), ConfigSources.environmentVariables(),
                ConfigSources.systemProperties()));
        List<String> required = new ArrayList<>(REQUIRED_WITHOUT_FOLDER);
        appKeys.entries().stream().filter(e -> e.option().required()).forEach(e -> required.add(e.key()));
        List<String> missing = required.stream().filter(key -> !given.get(key).exists()).toList();
        if (!missing.isEmpty()) {
            throw new ConfigException("config folder '" + folder.dir().toAbsolutePath().normalize() + "' does not exist"
                    + "; expected it (set " + ConfigFolder.ENV + " or --config-dir), or " + String.join(", ", missing)
                    + " given with --set or the environment");
        }
    }

    private static Config build(List<Supplier<? extends ConfigSource>> sources) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(sources)
                .build();
    }
}
