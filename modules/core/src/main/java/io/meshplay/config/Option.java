package io.meshplay.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/**
 * One config setting, declared once: its key (relative to the node its owner reads), what it means, its
 * type, default, allowed range or values, and whether it is a secret. The declaration both reads the
 * value, failing with the full key and what was expected, and documents it for {@code --help} through
 * {@link Options}; a secret's value appears in neither.
 *
 * <p>Declarations are immutable: every modifier returns a new one, so a plug-in can take a shared
 * declaration with its own default or a range that depends on another key.
 *
 * @param <T> the type of the value
 */
public final class Option<T> {

    private static final String DURATION_EXAMPLES = "500ms, 5s, 1m or PT5S";

    /** Reads the value at a node: empty when unset, a ConfigException naming the key when it cannot be read. */
    @FunctionalInterface
    private interface Reader<T> {
        Optional<T> read(Option<T> option, Config node);
    }

    private record Check<T>(Predicate<? super T> test, String problem, String expected) {
    }

    private final String key;
    private final String description;
    private final Reader<T> reader;
    private String expected;
    private Function<? super T, String> show = String::valueOf;
    private Comparator<? super T> order;
    private BiFunction<T, T, String> rangeText;
    private List<String> values = List.of();
    private boolean secret;
    private T defaultValue;
    private String defaultShown;
    private T min;
    private T max;
    private String rangeExpected;
    private List<Check<T>> checks = List.of();

    private Option(String key, String description, String expected, Reader<T> reader) {
        this.key = key;
        this.description = description;
        this.expected = expected;
        this.reader = reader;
    }

    public static Option<String> string(String key, String description) {
        return text(key, description, "a value", s -> s);
    }

    /** A credential: never shown in help, errors or {@code toString()}. */
    public static Option<Secret> secret(String key, String description) {
        Option<Secret> option = text(key, description, "a value", Secret::new);
        option.secret = true;
        return option;
    }

    /**
     * Text turned into a value by {@code parse}, which throws on text it does not accept. Text is
     * stripped, and a blank value counts as unset: an empty environment variable means "the default".
     *
     * @param expected what a valid value looks like, for the error
     */
    public static <T> Option<T> text(String key, String description, String expected, Function<String, T> parse) {
        return new Option<>(key, description, expected, (option, node) -> {
            Optional<String> text = node.asString().asOptional().map(String::strip).filter(t -> !t.isEmpty());
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parse.apply(text.get()));
            } catch (RuntimeException e) {
                throw option.invalid(node, text.get(), "not valid", option.rangeExpected != null ? option.rangeExpected : option.expected);
            }
        });
    }

    public static Option<Boolean> bool(String key, String description) {
        // only true or false: Helidon's asBoolean() reads anything else ("maybe", "ture") as false, and
        // "yes"/"1" read as true by one reader and false by another, so both are refused at start
        return text(key, description, "true or false", s -> {
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(s);
            }
            throw new IllegalArgumentException(s);
        });
    }

    /** A whole number; give it a {@link #range}. */
    public static Option<Integer> integer(String key, String description) {
        Option<Integer> option = text(key, description, "an integer", Integer::valueOf);
        option.order = Comparator.naturalOrder();
        option.rangeText = (a, b) -> "an integer from " + a + " to " + b;
        return option;
    }

    /** A duration as people write it ({@code 500ms}, {@code 5s}, {@code 1m}) or ISO-8601 ({@code PT5S}). */
    public static Option<Duration> duration(String key, String description) {
        Option<Duration> option = text(key, description, "a duration such as " + DURATION_EXAMPLES, Durations::parse);
        option.order = Comparator.naturalOrder();
        option.show = Durations::format;
        option.rangeText = (a, b) -> "a duration from " + Durations.format(a) + " to " + Durations.format(b) + " (e.g. " + DURATION_EXAMPLES + ")";
        return option;
    }

    /** One of {@code values}, in any case and with '-' for '_'; reads as the declared spelling. */
    public static Option<String> oneOf(String key, String description, List<String> values) {
        Map<String, String> byName = new LinkedHashMap<>();
        values.forEach(v -> byName.put(v, v));
        return choice(key, description, byName);
    }

    /** One of an enum's constants, written in lower case in config. */
    public static <E extends Enum<E>> Option<E> oneOf(String key, String description, Class<E> type) {
        Map<String, E> byName = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            byName.put(constant.name().toLowerCase(Locale.ROOT), constant);
        }
        Option<E> option = choice(key, description, byName);
        option.show = e -> e.name().toLowerCase(Locale.ROOT);
        return option;
    }

    /** A list of strings, or one string of comma-separated ones (handy in an environment variable); default empty. */
    public static Option<List<String>> list(String key, String description) {
        String element = "a non-empty string";
        Option<List<String>> option = new Option<>(key, description, "a list of strings", (o, node) -> {
            if (!node.exists()) {
                return Optional.empty();
            }
            List<String> items = new ArrayList<>();
            if (node.isLeaf()) {
                for (String item : node.asString().orElse("").split(",")) {
                    if (!item.isBlank()) {
                        items.add(item.strip());
                    }
                }
                return Optional.of(List.copyOf(items));
            }
            for (Config child : node.asNodeList().orElse(List.of())) {
                String item = child.asString().orElseThrow(() -> ConfigErrors.invalid(child, "(not a string)", element));
                if (item.isBlank()) {
                    throw ConfigErrors.invalid(child, item, element);
                }
                items.add(item.strip());
            }
            return Optional.of(List.copyOf(items));
        });
        option.show = items -> String.join(",", items);
        return option.defaultValue(List.of());
    }

    /**
     * A map of string values whose keys pass {@code validKey}; default empty.
     *
     * @param keyExpected what a valid key looks like, for the error
     */
    public static Option<Map<String, String>> map(String key, String description, Predicate<String> validKey, String keyExpected) {
        Option<Map<String, String>> option = new Option<>(key, description, "a map of key: value pairs", (o, node) -> {
            if (!node.exists()) {
                return Optional.empty();
            }
            if (node.isLeaf()) {
                throw ConfigErrors.invalid(node, node.asString().orElse(""), o.expected);
            }
            Map<String, String> entries = new LinkedHashMap<>();
            for (Config child : node.asNodeList().orElse(List.of())) {
                String value = child.asString().orElseThrow(() -> ConfigErrors.invalid(child, "(a nested node)", "a string value"));
                if (!validKey.test(child.name())) {
                    throw ConfigErrors.invalid(child, value, keyExpected);
                }
                entries.put(child.name(), value);
            }
            return Optional.of(Collections.unmodifiableMap(entries));
        });
        option.show = entries -> String.join(",", entries.keySet());
        return option.defaultValue(Map.of());
    }

    public Option<T> defaultValue(T value) {
        Option<T> copy = copy();
        copy.defaultValue = value;
        return copy;
    }

    /** How help shows a default that is not a fixed value (it comes from another key or the environment). */
    public Option<T> defaultShown(String text) {
        Option<T> copy = copy();
        copy.defaultShown = text;
        return copy;
    }

    /** Accepts values from {@code min} to {@code max}, both included; replaces any range set before. */
    public Option<T> range(T min, T max) {
        if (order == null) {
            throw new UnsupportedOperationException("option '" + key + "' has no order to check a range with");
        }
        return range(min, max, rangeText.apply(min, max));
    }

    /** As {@link #range(Object, Object)}, with the error saying {@code expected}. */
    public Option<T> range(T min, T max, String expected) {
        Option<T> copy = copy();
        copy.min = min;
        copy.max = max;
        copy.rangeExpected = expected;
        return copy;
    }

    /** Rejects values that fail {@code test}; the error says {@code expected}. */
    public Option<T> check(Predicate<? super T> test, String expected) {
        return check(test, "not valid", expected);
    }

    /** As {@link #check(Predicate, String)}; a secret's error says it is {@code problem} instead of quoting it. */
    public Option<T> check(Predicate<? super T> test, String problem, String expected) {
        Option<T> copy = copy();
        List<Check<T>> more = new ArrayList<>(checks);
        more.add(new Check<>(test, problem, expected));
        copy.checks = List.copyOf(more);
        return copy;
    }

    /** Replaces what errors say a valid value looks like (range errors included). */
    public Option<T> expected(String text) {
        Option<T> copy = copy();
        copy.expected = text;
        if (copy.rangeExpected != null) {
            copy.rangeExpected = text;
        }
        return copy;
    }

    /** The key, relative to the node this option is read from. */
    public String key() {
        return key;
    }

    public boolean secret() {
        return secret;
    }

    /** Whether an app cannot run without it: no default, none shown as coming from elsewhere, not a credential. */
    public boolean required() {
        return defaultValue == null && defaultShown == null && !secret;
    }

    /** Whether the key is present under {@code parent}, even blank. */
    public boolean isSet(Config parent) {
        return parent.get(key).exists();
    }

    /** The value under {@code parent}, empty when unset; a value that is not valid fails naming the full key. */
    public Optional<T> find(Config parent) {
        Config node = parent.get(key);
        Optional<T> value = reader.read(this, node);
        value.ifPresent(v -> validate(node, v));
        return value;
    }

    /** The value under {@code parent}, else the default; without a default, a missing value fails naming the key. */
    public T get(Config parent) {
        Optional<T> value = find(parent);
        if (value.isPresent()) {
            return value.get();
        }
        if (defaultValue == null) {
            throw ConfigErrors.missing(parent.get(key), description);
        }
        return defaultValue;
    }

    /** One line for {@code --help}: the description, the values or range it takes, and its default. */
    public String help() {
        List<String> notes = new ArrayList<>();
        if (!values.isEmpty()) {
            notes.add(String.join(" | ", values));
        }
        if (min != null) {
            notes.add(show.apply(min) + ".." + show.apply(max));
        }
        String shownDefault = defaultShown != null ? defaultShown : defaultValue == null ? "" : show.apply(defaultValue);
        if (secret) {
            notes.add("secret, never logged");
        } else if (!shownDefault.isEmpty()) {
            notes.add("default " + shownDefault);
        }
        return notes.isEmpty() ? description : description + " (" + String.join("; ", notes) + ")";
    }

    @Override
    public String toString() {
        return key + ": " + help();
    }

    private void validate(Config node, T value) {
        if (min != null && (order.compare(value, min) < 0 || order.compare(value, max) > 0)) {
            throw invalid(node, shown(node, value), "out of range", rangeExpected);
        }
        for (Check<T> check : checks) {
            if (!check.test().test(value)) {
                throw invalid(node, shown(node, value), check.problem(), check.expected());
            }
        }
    }

    private String shown(Config node, T value) {
        return node.isLeaf() ? node.asString().map(String::strip).orElse("") : show.apply(value);
    }

    private ConfigException invalid(Config node, String text, String problem, String what) {
        return secret ? ConfigErrors.invalidSecret(node, problem, what) : ConfigErrors.invalid(node, text, what);
    }

    private static <T> Option<T> choice(String key, String description, Map<String, T> byName) {
        Map<String, T> loose = new HashMap<>();
        byName.forEach((name, value) -> loose.put(loose(name), value));
        Option<T> option = text(key, description, "one of " + String.join(", ", byName.keySet()), s -> {
            T value = loose.get(loose(s));
            if (value == null) {
                throw new IllegalArgumentException(s);
            }
            return value;
        });
        option.values = List.copyOf(byName.keySet());
        return option;
    }

    private static String loose(String name) {
        return name.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private Option<T> copy() {
        Option<T> copy = new Option<>(key, description, expected, reader);
        copy.show = show;
        copy.order = order;
        copy.rangeText = rangeText;
        copy.values = values;
        copy.secret = secret;
        copy.defaultValue = defaultValue;
        copy.defaultShown = defaultShown;
        copy.min = min;
        copy.max = max;
        copy.rangeExpected = rangeExpected;
        copy.checks = checks;
        return copy;
    }
}
