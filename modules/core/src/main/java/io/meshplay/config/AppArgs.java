package io.meshplay.config;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import io.meshplay.broker.Brokers;
import io.meshplay.registry.Registries;

/**
 * The command line every meshplay app shares: {@code --help}, and {@code --set key=value} (or
 * {@code key=value}) to override any config key, plus app-specific flags the caller declares.
 *
 * @param overrides config overrides, highest priority
 * @param flags     app flags given as {@code --name value}
 */
public record AppArgs(Map<String, String> overrides, Map<String, String> flags) {

    /**
     * Parses {@code args}; prints usage and exits 0 on {@code --help}, exits 2 with one line on a bad argument.
     *
     * @param app       the app name, e.g. {@code server}
     * @param summary   one line saying what it does
     * @param appFlags  the app's own flags ({@code --count}) with their help text
     * @param keys      the app's own config keys; the plug-ins' ({@link #commonKeys()}) follow them in the help
     */
    public static AppArgs parse(String app, String summary, Map<String, String> appFlags, Options keys, String[] args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                usage(System.out, app, summary, appFlags, keys);
                System.exit(0);
            } else if (arg.equals("--set") && i + 1 < args.length) {
                put(overrides, args[++i], app);
            } else if (arg.startsWith("--") && appFlags.containsKey(arg.substring(2)) && i + 1 < args.length) {
                flags.put(arg.substring(2), args[++i]);
            } else if (!arg.startsWith("-") && arg.contains("=")) {
                put(overrides, arg, app);
            } else {
                fail(app, "unknown argument '" + arg + "'");
            }
        }
        return new AppArgs(Map.copyOf(overrides), Map.copyOf(flags));
    }

    public long longFlag(String name, long defaultValue) {
        String value = flags.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " expects a whole number, was '" + value + "'");
        }
    }

    private static void put(Map<String, String> overrides, String pair, String app) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
            fail(app, "expected key=value, got '" + pair + "'");
        }
        overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
    }

    private static void fail(String app, String message) {
        System.err.println(app + ": " + message + " (try --help)");
        System.exit(2);
    }

    private static void usage(PrintStream out, String app, String summary, Map<String, String> appFlags, Options keys) {
        out.println("meshplay " + app + ": " + summary);
        out.println();
        out.println("Usage: " + app + " [options] [key=value ...]");
        out.println();
        out.println("Options:");
        out.println("  --help                 this text");
        out.println("  --set key=value        override a config key (same as key=value)");
        appFlags.forEach((k, v) -> out.printf("  --%-20s %s%n", k + " N", v));
        out.println();
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
