package io.meshplay.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;

/** The results: {@code results.json} and one Markdown table with the machine above it. */
public final class Report {

    private final Map<String, Object> machine;
    private final List<Row> rows;
    private final String mode;
    private final double seconds;

    public Report(Map<String, Object> machine, List<Row> rows, String mode, double seconds) {
        this.machine = machine;
        this.rows = rows;
        this.mode = mode;
        this.seconds = seconds;
    }

    public void writeJson(Path file) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mode", mode);
        root.put("seconds", Spread.round(seconds));
        root.put("machine", machine);
        root.put("rows", rows.stream().map(Row::json).toList());
        StringWriter text = new StringWriter();
        try (JsonWriter writer = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(text)) {
            writer.writeObject(object(root).build());
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text.toString().strip() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The machine block, then the table, then the rows' notes. */
    public void print(PrintStream out) {
        out.println();
        out.println(machineLine());
        out.println();
        out.println("| # | measure | result (median [min–max] over rounds) | goal | status |");
        out.println("|---|---|---|---|---|");
        for (Row row : rows) {
            for (Row.Line line : row.lines()) {
                out.println("| " + row.id() + " | " + cell(line.label()) + " | " + cell(line.result()) + " | "
                        + cell(line.goal() == null ? "" : line.goal()) + " | " + status(line.status()) + " |");
            }
        }
        for (Row row : rows) {
            for (String note : row.notes()) {
                out.println();
                out.println(note);
            }
        }
        out.println();
    }

    String machineLine() {
        // a Markdown list, so the block reads the same in a terminal and pasted into the README
        return "- machine: " + machine.get("cores") + " cores (" + machine.get("cpu") + "), " + machine.get("memory")
                + "; " + machine.get("os") + "; JDK " + machine.get("jdk") + "\n"
                + "- versions: " + machine.get("versions") + "\n"
                + "- run: " + machine.get("date") + ", " + mode + " mode, " + Math.round(seconds) + " s, git "
                + machine.get("git") + ", load average " + machine.get("loadAverageStart") + " at start, "
                + machine.get("loadAverageEnd") + " at end";
    }

    private static String status(Row.Status s) {
        return switch (s) {
            case MET -> "met";
            case MISSED -> "**missed**";
            case INFO -> "";
            case ERROR -> "**error**";
        };
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    @SuppressWarnings("unchecked")
    private static JsonObjectBuilder object(Map<String, ?> map) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        map.forEach((k, v) -> b.add(k, value(v)));
        return b;
    }

    @SuppressWarnings("unchecked")
    private static JsonValue value(Object v) {
        if (v == null) {
            return JsonValue.NULL;
        }
        if (v instanceof Map<?, ?> m) {
            return object((Map<String, ?>) m).build();
        }
        if (v instanceof Collection<?> c) {
            JsonArrayBuilder a = Json.createArrayBuilder();
            c.forEach(e -> a.add(value(e)));
            return a.build();
        }
        if (v instanceof Boolean bool) {
            return bool ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            // JSON has no NaN: a figure that could not be measured is null
            return Double.isNaN(d) || Double.isInfinite(d) ? JsonValue.NULL : Json.createValue(BigDecimal.valueOf(d));
        }
        if (v instanceof Number n) {
            return Json.createValue(n.longValue());
        }
        return Json.createValue(String.valueOf(v));
    }
}
