package io.meshplay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the sides of a comparison in the same run, taking turns (A B C, B C A, C A B ...), so drift
 * on a shared machine (another build starting, the JIT settling, Azurite's queue growing) hits every
 * side alike. Each side is warmed up once, unrecorded, before the first round. Ratios are taken per
 * round (A_i / B_i) and summarised as median and min–max, which is what a paired measurement allows.
 */
public final class Alternating {

    /** A named side: the per-worker op supplier, ready to load. */
    public record Side(String name, Supplier<ClosedLoop.Op> ops) {
    }

    private Alternating() {
    }

    /** Rounds of closed-loop load at one concurrency; results per side, in round order. */
    public static Map<String, List<LoadResult>> unary(List<Side> sides, int concurrency, int rounds, Duration warmup,
                                                     Duration slot) {
        for (Side side : sides) {
            ClosedLoop.run(side.name(), concurrency, warmup, side.ops());
        }
        return rounds(sides.stream().map(Side::name).toList(), rounds,
                name -> ClosedLoop.run(name, concurrency, slot, find(sides, name).ops()));
    }

    /** Generic alternation: {@code measure} runs one side once; rounds rotate the order. */
    public static <T> Map<String, List<T>> rounds(List<String> sides, int rounds, Function<String, T> measure) {
        Map<String, List<T>> results = new LinkedHashMap<>();
        sides.forEach(s -> results.put(s, new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < sides.size(); i++) {
                String side = sides.get((i + r) % sides.size());
                results.get(side).add(measure.apply(side));
            }
        }
        return results;
    }

    /** Per-round ratios a_i / b_i of a figure. */
    public static <T> Spread ratio(List<T> a, List<T> b, java.util.function.ToDoubleFunction<T> figure) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            double denominator = figure.applyAsDouble(b.get(i));
            if (denominator > 0 && !Double.isNaN(denominator)) {
                ratios.add(figure.applyAsDouble(a.get(i)) / denominator);
            }
        }
        return Spread.of(ratios);
    }

    public static <T> Spread spread(List<T> results, java.util.function.ToDoubleFunction<T> figure) {
        List<Double> values = new ArrayList<>();
        results.forEach(r -> {
            double v = figure.applyAsDouble(r);
            if (!Double.isNaN(v)) {
                values.add(v);
            }
        });
        return Spread.of(values);
    }

    private static Side find(List<Side> sides, String name) {
        return sides.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
