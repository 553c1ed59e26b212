package io.meshplay.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;

/**
 * The one place results are formatted: {@code table} for people, {@code json} for scripts (the full
 * records, never only the columns a table shows). Commands hand over rows as ordered maps.
 */
public final class Output {

    /** {@code --output}. */
    public enum Format { table, json }

    private static final int MAX_CELL = 72;
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private final PrintWriter out;
    private final Format format;

    public Output(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    public boolean json() {
        return format == Format.json;
    }

    /** Rows as a table with {@code columns}, or as a JSON array of the whole rows. */
    public void list(List<? extends Map<String, ?>> rows, List<String> columns) {
        if (json()) {
            out.println(PRETTY.toJson(rows));
        } else {
            table(rows, columns);
        }
        out.flush();
    }

    /** One record: a JSON object, or {@code key: value} lines. */
    public void record(Map<String, ?> record) {
        if (json()) {
            out.println(PRETTY.toJson(record));
        } else {
            block(record, "");
        }
        out.flush();
    }

    /** Records shown one after another (an instance each): a JSON array, or blocks separated by blank lines. */
    public void records(List<? extends Map<String, ?>> records) {
        if (json()) {
            out.println(PRETTY.toJson(records));
        } else {
            for (int i = 0; i < records.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                block(records.get(i), "");
            }
        }
        out.flush();
    }

    /**
     * One item of a stream (a response, a message) as it arrives: a compact JSON line (so a script can
     * read line by line), or {@code humanText} for a person.
     */
    public void event(Object jsonValue, String humanText) {
        out.println(json() ? COMPACT.toJson(jsonValue) : humanText);
        out.flush();
    }

    /** Pretty JSON text of any value (maps, lists, {@link JsonElement}s), for table-mode bodies. */
    public static String pretty(Object value) {
        return PRETTY.toJson(value);
    }

    private void table(List<? extends Map<String, ?>> rows, List<String> columns) {
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new));
        for (Map<String, ?> row : rows) {
            cells.add(columns.stream().map(c -> cell(row.get(c))).toArray(String[]::new));
        }
        int[] widths = new int[columns.size()];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                text.append(i == line.length - 1 ? line[i] : String.format("%-" + widths[i] + "s  ", line[i]));
            }
            out.println(text.toString().stripTrailing());
        }
    }

    private void block(Map<String, ?> record, String indent) {
        int width = record.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, ?> e : record.entrySet()) {
            Object value = e.getValue();
            String label = indent + String.format("%-" + width + "s", e.getKey()) + "  ";
            if (value instanceof Map<?, ?> map && !map.isEmpty() && map.values().stream().anyMatch(v -> v instanceof Map || v instanceof Collection)) {
                out.println(indent + e.getKey() + ":");
                block(asStringMap(map), indent + "  ");
            } else if (value instanceof Collection<?> list && !list.isEmpty() && list.iterator().next() instanceof Map) {
                out.println(indent + e.getKey() + ":");
                for (Object item : list) {
                    out.println(indent + "  -");
                    block(asStringMap((Map<?, ?>) item), indent + "    ");
                }
            } else if (value instanceof Map<?, ?> map && !map.isEmpty()) {
                out.println(indent + e.getKey() + ":");
                map.forEach((k, v) -> out.println(indent + "  " + k + " = " + plain(v)));
            } else {
                out.println(label + plain(value));
            }
        }
    }

    private static Map<String, ?> asStringMap(Map<?, ?> map) {
        return map.entrySet().stream().collect(Collectors.toMap(e -> String.valueOf(e.getKey()), Map.Entry::getValue,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static String plain(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Collection<?> c) {
            return c.isEmpty() ? "-" : c.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty() ? "-" : m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        }
        if (value instanceof JsonElement json) {
            return COMPACT.toJson(json);
        }
        return ErrorHandler.oneLine(String.valueOf(value));
    }

    private static String cell(Object value) {
        String text = plain(value);
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL - 1) + "…" : text;
    }
}
