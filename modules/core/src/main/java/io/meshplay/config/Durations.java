package io.meshplay.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/** Durations in config as people write them ({@code 500ms}, {@code 5s}, {@code 1m}, {@code 2h}) or ISO-8601 ({@code PT5S}). */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    }

    /** The shortest exact form {@link #parse} reads back ({@code 500ms}, {@code 5s}, {@code 1m}, {@code 7d}), for help texts. */
    public static String format(Duration d) {
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000, 3_600_000, 60_000, 1000, 1};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return d.toString();
    }

    /** The duration at {@code node}, {@code defaultValue} when absent, or an error naming the key. */
    public static Duration get(Config node, Duration defaultValue) {
        var text = node.asString();
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            return parse(text.get());
        } catch (RuntimeException e) {
            throw ConfigErrors.invalid(node, text.get(), "a duration such as 500ms, 5s, 1m or PT5S");
        }
    }
}
