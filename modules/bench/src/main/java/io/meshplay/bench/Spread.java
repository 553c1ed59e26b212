package io.meshplay.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The median of a figure over rounds with its min–max: one round on a shared 2-core machine says
 * little, the spread says how much to trust the median.
 */
public record Spread(double median, double min, double max, int n) {

    public static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.getFirst(), sorted.getLast(), n);
    }

    /** {@code 14.2k [13.9k–14.5k]}, or just the value for a single round. */
    public String format(java.util.function.DoubleFunction<String> unit) {
        if (n <= 1) {
            return unit.apply(median);
        }
        return unit.apply(median) + " [" + unit.apply(min) + "–" + unit.apply(max) + "]";
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", round(median));
        m.put("min", round(min));
        m.put("max", round(max));
        m.put("rounds", n);
        return m;
    }

    static double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double scale = Math.abs(v) >= 100 ? 1 : Math.abs(v) >= 1 ? 100 : 10_000;
        return Math.round(v * scale) / scale;
    }

    /** 14.2k, 980, 1.23M. */
    public static String count(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2fM", v / 1_000_000);
        }
        if (Math.abs(v) >= 10_000) {
            return String.format(Locale.ROOT, "%.1fk", v / 1000);
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%.2fk", v / 1000);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.0f" : "%.1f", v);
    }

    /** Microseconds as ms with sensible digits. */
    public static String millis(double micros) {
        if (Double.isNaN(micros)) {
            return "n/a";
        }
        double ms = micros / 1000;
        return String.format(Locale.ROOT, ms >= 100 ? "%.0f ms" : ms >= 10 ? "%.1f ms" : "%.2f ms", ms);
    }

    public static String ratio(double r) {
        return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f×", r);
    }

    public static String seconds(double s) {
        return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.2f s", s);
    }

    public static String mebibytes(double kib) {
        return Double.isNaN(kib) ? "n/a" : String.format(Locale.ROOT, "%.0f MB", kib / 1024);
    }
}
