package io.meshplay.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;

/**
 * Loads an app's config, highest priority first: explicit overrides, environment variables
 * ({@code REGISTRY_CONSUL_ADDRESS} for {@code registry.consul.address}, {@code _dash_} for a dash),
 * system properties, {@code <dir>/<app>.yaml}, {@code <dir>/meshplay.yaml}, then the built-in
 * {@code meshplay-defaults.yaml}. The directory is {@code MESHPLAY_CONFIG_DIR}, else {@code ./config}.
 */
public final class MeshplayConfig {

    public static final String DEFAULTS_RESOURCE = "meshplay-defaults.yaml";

    private MeshplayConfig() {
    }

    public static Path configDir() {
        String dir = System.getenv("MESHPLAY_CONFIG_DIR");
        return Path.of(dir == null || dir.isBlank() ? "config" : dir);
    }

    /** The config of app {@code app} (e.g. {@code server}) from the config directory, env and system properties. */
    public static Config load(String app, Map<String, String> overrides) {
        Path dir = configDir();
        List<java.util.function.Supplier<? extends ConfigSource>> sources = new ArrayList<>();
        if (!overrides.isEmpty()) {
            sources.add(ConfigSources.create(overrides));
        }
        sources.add(ConfigSources.environmentVariables());
        sources.add(ConfigSources.systemProperties());
        addFile(sources, dir.resolve(app + ".yaml"));
        addFile(sources, dir.resolve("meshplay.yaml"));
        sources.add(ConfigSources.classpath(DEFAULTS_RESOURCE));
        return build(sources);
    }

    /** Only the built-in defaults and {@code overrides}: what tests use, independent of files and env. */
    public static Config of(Map<String, String> overrides) {
        return build(List.of(ConfigSources.create(overrides), ConfigSources.classpath(DEFAULTS_RESOURCE)));
    }

    private static void addFile(List<java.util.function.Supplier<? extends ConfigSource>> sources, Path file) {
        if (Files.isRegularFile(file)) {
            sources.add(ConfigSources.file(file));
        }
    }

    private static Config build(List<java.util.function.Supplier<? extends ConfigSource>> sources) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(sources)
                .build();
    }
}
