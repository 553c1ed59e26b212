package io.meshplay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One numbered row of the list: table lines (what was measured, the goal, met or missed)
 * and the detailed figures that go to the JSON.
 */
public final class Row {

    /** Whether a line's goal was met; INFO lines have no goal. */
    public enum Status { MET, MISSED, INFO, ERROR }

    /** One table line. */
    public record Line(String label, String result, String goal, Status status) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", label);
            m.put("result", result);
            m.put("goal", goal == null ? "" : goal);
            m.put("status", status.name());
            return m;
        }
    }

    private final String id;
    private final String title;
    private final List<Line> lines = new ArrayList<>();
    private final Map<String, Object> data = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private double seconds;

    public Row(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public List<Line> lines() {
        return lines;
    }

    public List<String> notes() {
        return notes;
    }

    public Row info(String label, String result) {
        lines.add(new Line(label, result, null, Status.INFO));
        return this;
    }

    public Row goal(String label, String result, String goal, boolean met) {
        lines.add(new Line(label, result, goal, met ? Status.MET : Status.MISSED));
        return this;
    }

    public Row error(String label, Throwable e) {
        lines.add(new Line(label, Errors.describe(e), null, Status.ERROR));
        return this;
    }

    /** Detailed figures for the JSON under {@code data.<key>}. */
    public Row data(String key, Object value) {
        data.put(key, value);
        return this;
    }

    /** A short text printed below the table (e.g. a profile's hot methods). */
    public Row note(String text) {
        notes.add(text);
        return this;
    }

    /** Adds time spent on this row (a row may be measured in more than one section). */
    void addSeconds(double seconds) {
        this.seconds += seconds;
    }

    public boolean hasError() {
        return lines.stream().anyMatch(l -> l.status() == Status.ERROR);
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("seconds", Spread.round(seconds));
        m.put("lines", lines.stream().map(Line::json).toList());
        m.put("data", data);
        if (!notes.isEmpty()) {
            m.put("notes", notes);
        }
        return m;
    }
}
