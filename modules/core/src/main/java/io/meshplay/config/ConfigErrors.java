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

    public static ConfigException missing(Config node, String expected) {
        return new ConfigException("config key '" + node.key() + "' is required: " + expected);
    }

    /** The string at {@code node}, or an error naming the key. */
    public static String required(Config node, String expected) {
        return node.asString().orElseThrow(() -> missing(node, expected));
    }
}
