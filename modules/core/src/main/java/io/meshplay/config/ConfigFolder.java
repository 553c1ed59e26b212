package io.meshplay.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;

/**
 * Where an app's YAML files are, and reading one of them so that a mistake names the file: the folder
 * is {@code --config-dir}, else {@code MESHPLAY_CONFIG_DIR}, else {@code ./config}. A folder someone named
 * must exist; the default one may be missing (see {@link MeshplayConfig#load}).
 *
 * @param dir      the folder
 * @param origin   how it was chosen, for errors: {@code --config-dir}, {@code MESHPLAY_CONFIG_DIR} or {@code default}
 * @param explicit whether a user named it
 */
public record ConfigFolder(Path dir, String origin, boolean explicit) {

    public static final String ENV = "MESHPLAY_CONFIG_DIR";
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    /** @param fromArgs the {@code --config-dir} value, or null */
    public static ConfigFolder choose(String fromArgs, Map<String, String> env) {
        if (fromArgs != null && !fromArgs.isBlank()) {
            return new ConfigFolder(Path.of(fromArgs.strip()), "--config-dir", true);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new ConfigFolder(Path.of(fromEnv.strip()), ENV, true);
        }
        return new ConfigFolder(Path.of("config"), "default", false);
    }

    public boolean exists() {
        return Files.isDirectory(dir);
    }

    /** A named folder that is not there fails: the user meant a folder, and defaults would run something else. */
    public void requireIfNamed() {
        if (explicit && !exists()) {
            throw new ConfigException("config folder '" + dir.toAbsolutePath().normalize() + "' (from " + origin
                    + ") does not exist" + (Files.exists(dir) ? " as a folder" : "")
                    + "; expected the folder with meshplay.yaml");
        }
    }

    /** {@code <dir>/<name>}, parsed on its own, or empty when the file is not there. */
    public Optional<Config> read(String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Config config = Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .sources(ConfigSources.file(file))
                    .build();
            config.traverse().forEach(node -> { }); // a lazy parser fails here, not later without the file name
            return Optional.of(config);
        } catch (ConfigException e) {
            throw new ConfigException("config file '" + file.toAbsolutePath().normalize() + "' is not valid YAML: "
                    + problem(e), e);
        }
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** The parser's own words, in one line, with the position it reports last (where it gave up). */
    static String problem(Throwable e) {
        Throwable deepest = e;
        for (int i = 0; i < 20 && deepest.getCause() != null; i++) {
            deepest = deepest.getCause();
        }
        String text = deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage();
        String position = null;
        Matcher m = POSITION.matcher(text);
        while (m.find()) {
            position = "line " + m.group(1) + ", column " + m.group(2);
        }
        // SnakeYAML's message: "<context>\n in 'reader', line a, column b:\n <snippet>\n<problem>\n in 'reader', line c, column d:\n <snippet>"
        String problem = null;
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("in '") && !l.equals("^") && !line.startsWith(" ")) {
                problem = l;
            }
        }
        return (problem == null ? Startup.oneLine(text) : problem) + (position == null ? "" : " at " + position);
    }
}
