package io.meshplay.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;

/** The table on stdout and the same rows in results.json. */
final class Report {

    private Report() {
    }

    static void print(List<Row> rows, Instant started, boolean reduced) {
        System.out.printf("meshplay chaos lab%s, %s (2 shared cores: timings may be noisy)%n", reduced ? " (reduced)" : "", started);
        String format = "%-18s | %-62s | %12s | %16s | %s%n";
        System.out.printf(format, "scenario", "measure", "figure", "goal", "");
        System.out.println("-".repeat(125));
        List<Row> sorted = rows.stream().sorted(java.util.Comparator.comparingInt(r -> order(rows, r.scenario()))).toList();
        for (Row r : sorted) {
            System.out.printf(format, r.scenario(), r.measure(), r.figureText(), r.goalText(), r.met() ? "met" : "MISSED");
        }
    }

    private static int order(List<Row> rows, String scenario) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).scenario().equals(scenario)) {
                return scenario.equals("all") ? Integer.MAX_VALUE : i;
            }
        }
        return Integer.MAX_VALUE;
    }

    static void json(List<Row> rows, Instant started, boolean reduced, Path out) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (Row r : rows) {
            array.add(Json.createObjectBuilder().add("scenario", r.scenario()).add("measure", r.measure())
                    .add("figure", r.figure()).add("unit", r.unit()).add("goal", r.goal())
                    .add("at_most", r.atMost()).add("must_hold", r.mustHold()).add("met", r.met()));
        }
        String json = Json.createObjectBuilder().add("started", started.toString()).add("reduced", reduced)
                .add("rows", array).build().toString();
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, json + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + out + ": " + e.getMessage());
        }
    }
}
