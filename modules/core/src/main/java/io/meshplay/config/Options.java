package io.meshplay.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;

/**
 * The options a component reads, in the order {@code --help} lists them. Keys are relative to the node
 * the component reads; whoever knows where that node sits in an app's config places them with
 * {@link #under(String)} ({@code Plugins} puts a plug-in's under {@code <area>.<type>}).
 */
public final class Options {

    private static final Options NONE = new Options(List.of());

    /**
     * @param key    the full key as documented
     * @param option its declaration
     */
    public record Entry(String key, Option<?> option) {
    }

    private final List<Entry> entries;

    private Options(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Options of(Option<?>... options) {
        return of(Arrays.asList(options));
    }

    public static Options of(List<? extends Option<?>> options) {
        return new Options(options.stream().map(o -> new Entry(o.key(), o)).toList());
    }

    public static Options none() {
        return NONE;
    }

    /** The same options with {@code path.} in front of every key. */
    public Options under(String path) {
        return new Options(entries.stream().map(e -> new Entry(path + "." + e.key(), e.option())).toList());
    }

    /** These options followed by {@code more}. */
    public Options and(Options more) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(more.entries);
        return new Options(all);
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * Reads every option from {@code root}, where the full keys are rooted, so a bad value fails at start
     * naming its key, even one only Helidon reads later ({@code server.port}) or one read only when a
     * feature is first used.
     */
    public void validate(Config root) {
        for (Entry e : entries) {
            String parent = e.key().substring(0, e.key().length() - e.option().key().length());
            Config node = parent.isEmpty() ? root : root.get(parent.substring(0, parent.length() - 1));
            e.option().find(node);
        }
    }

    /** Full key to its help line, in declaration order. */
    public Map<String, String> help() {
        Map<String, String> help = new LinkedHashMap<>();
        entries.forEach(e -> help.put(e.key(), e.option().help()));
        return help;
    }

    @Override
    public String toString() {
        return help().keySet().toString();
    }
}
