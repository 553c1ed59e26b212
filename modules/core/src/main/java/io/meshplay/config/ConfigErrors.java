package io.meshplay.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/** Errors that name the config key and what was expected, so a user can fix the file at once. */
public final class ConfigErrors {

    private ConfigErrors() {
    }

    public static ConfigException invalid(Config node, Object value, String expected) {
        return new ConfigException("config key '" + node.key() + "' is '" + value + "'; expected " + expected);
    }

    /** For a secret: the message says what is wrong with the value without quoting it. */
    public static ConfigException invalidSecret(Config node, String problem, String expected) {
        return new ConfigException("config key '" + node.key() + "' (value hidden) is " + problem + "; expected " + expected);
    }

    public static ConfigException missing(Config node, String expected) {
        return new ConfigException("config key '" + node.key() + "' is required: " + expected);
    }

    /**
     * Fails if the key {@code oldName} under {@code parent} is set, naming the key that replaced it: a
     * renamed setting must not be ignored silently, or the user runs with a default they did not choose.
     */
    public static void rejectRenamed(Config parent, String oldName, String newName) {
        Config old = parent.get(oldName);
        if (old.exists()) {
            throw new ConfigException("config key '" + old.key() + "' was renamed to '" + parent.get(newName).key()
                    + "'; set that instead");
        }
    }

    /** The string at {@code node}, or an error naming the key. */
    public static String required(Config node, String expected) {
        return node.asString().orElseThrow(() -> missing(node, expected));
    }
}
