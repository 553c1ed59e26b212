package io.meshplay.config;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.meshplay.broker.Brokers;
import io.meshplay.registry.Registries;

/**
 * The command line every meshplay app shares: {@code --help}, {@code --set key=value} (or
 * {@code key=value}) to override any config key, {@code --config-dir DIR}, {@code --verbose} (read by
 * {@link Startup}), plus app-specific flags the caller declares.
 *
 * @param app       the app name, e.g. {@code server}
 * @param keys      the app's own config keys
 * @param overrides config overrides, highest priority
 * @param flags     app flags given as {@code --name value}
 * @param configDir the {@code --config-dir} value, or null
 */
public record AppArgs(String app, Options keys, Map<String, String> overrides, Map<String, String> flags, String configDir) {

    /** A key is dot-separated names, none empty: {@code =v}, {@code a..b} or {@code .a} would set nothing anyone reads. */
    private static final Pattern KEY = Pattern.compile("[^.\\s=]+(\\.[^.\\s=]+)*");

    /**
     * Parses {@code args}; prints usage and exits 0 on {@code --help}; a bad argument throws a
     * {@link StartupException} that {@link Startup} turns into one line and exit code 2.
     *
     * @param app       the app name, e.g. {@code server}
     * @param summary   one line saying what it does
     * @param appFlags  the app's own flags ({@code --count}) with their help text
     * @param keys      the app's own config keys; the plug-ins' ({@link #commonKeys()}) follow them in the help
     */
    public static AppArgs parse(String app, String summary, Map<String, String> appFlags, Options keys, String[] args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> flags = new LinkedHashMap<>();
        String configDir = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                usage(System.out, app, summary, appFlags, keys);
                System.exit(0);
            } else if (arg.equals(Startup.VERBOSE_FLAG)) {
                continue; // Startup's
            } else if (arg.equals("--set") || arg.equals("--config-dir") || arg.startsWith("--") && appFlags.containsKey(arg.substring(2))) {
                if (i + 1 >= args.length) {
                    throw usageError("'" + arg + "' needs a value");
                }
                String value = args[++i];
                if (arg.equals("--set")) {
                    put(overrides, value);
                } else if (arg.equals("--config-dir")) {
                    configDir = value;
                } else {
                    flags.put(arg.substring(2), value);
                }
            } else if (!arg.startsWith("-") && arg.contains("=")) {
                put(overrides, arg);
            } else {
                throw usageError("unknown argument '" + arg + "'");
            }
        }
        return new AppArgs(app, keys, Map.copyOf(overrides), Map.copyOf(flags), configDir);
    }

    /** The app's config: files, environment and these overrides, checked ({@link MeshplayConfig#load}); warnings to stderr. */
    public Config loadConfig() {
        return MeshplayConfig.load(app, overrides, configDir, keys, warning -> System.err.println(app + ": warning: " + warning));
    }

    public long longFlag(String name, long defaultValue) {
        String value = flags.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw usageError("--" + name + " is '" + value + "'; expected a whole number");
        }
    }

    private static void put(Map<String, String> overrides, String pair) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
            throw usageError("--set expects key=value, got '" + pair + "'");
        }
        String key = pair.substring(0, eq).strip();
        if (!KEY.matcher(key).matches()) {
            throw usageError("--set '" + pair + "' has " + (key.isEmpty() ? "an empty key" : "the key '" + key + "'")
                    + "; expected key=value with a key such as server.port");
        }
        overrides.put(key, pair.substring(eq + 1));
    }

    private static StartupException usageError(String message) {
        // the command line is configuration too: exit code 2
        return new StartupException(message + " (try --help)", Startup.CONFIG_ERROR, null);
    }

    private static void usage(PrintStream out, String app, String summary, Map<String, String> appFlags, Options keys) {
        out.println("meshplay " + app + ": " + summary);
        out.println();
        out.println("Usage: " + app + " [options] [key=value ...]");
        out.println();
        out.println("Options:");
        out.println("  --help                 this text");
        out.println("  --set key=value        override a config key (same as key=value)");
        out.println("  --config-dir DIR       the folder with meshplay.yaml (default MESHPLAY_CONFIG_DIR, else ./config)");
        out.println("  --verbose              a start-up error's stack trace after its line (also MESHPLAY_DEBUG=1)");
        appFlags.forEach((k, v) -> out.printf("  --%-20s %s%n", k + " N", v));
        out.println();
        out.println("Exit codes: 0 ok, 1 failed (e.g. a port in use), 2 bad configuration or command line.");
        out.println("Config: config/meshplay.yaml and config/" + app + ".yaml (MESHPLAY_CONFIG_DIR moves the folder);");
        out.println("any key can also be set from the environment: registry.consul.address -> REGISTRY_CONSUL_ADDRESS");
        out.println("(a '-' in a key is written _dash_ there). Keys:");
        Map<String, String> all = new LinkedHashMap<>(keys.help());
        all.putAll(commonKeys());
        int width = all.keySet().stream().mapToInt(String::length).max().orElse(0);
        all.forEach((key, help) -> out.printf("  %-" + width + "s  %s%n", key, help));
    }

    /** The keys every app shares, for {@code --help}: the plug-in choices and the options of each installed plug-in. */
    public static Map<String, String> commonKeys() {
        return Registries.options().and(Brokers.options()).help();
    }
}
