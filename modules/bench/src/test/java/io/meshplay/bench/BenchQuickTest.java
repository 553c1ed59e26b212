package io.meshplay.bench;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.meshplay.testing.Processes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the quick bench in-process against its own Consul, Azurite and server processes. It asserts
 * that the bench works (every row present with its lines, none failed, the JSON parses), never a speed:
 * this machine's figures depend on whatever else runs on it.
 */
class BenchQuickTest {

    @Test
    void quickBenchProducesEveryRowAndValidJson() throws Exception {
        Path out = Path.of("target", "bench-quick", "results.json").toAbsolutePath();
        Files.deleteIfExists(out);

        List<Row> rows = BenchMain.execute(BenchPlan.quickPlan(), Processes.repoRoot(), out, Set.copyOf(BenchMain.ROW_IDS));

        assertThat(rows).extracting(Row::id).containsExactlyElementsOf(BenchMain.ROW_IDS);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.lines()).as("lines of row %s", row.id()).isNotEmpty();
            assertThat(row.lines()).as("row %s failed", row.id()).noneMatch(l -> l.status() == Row.Status.ERROR);
        });

        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(Files.readString(out)))) {
            json = reader.readObject();
        }
        assertThat(json.getString("mode")).isEqualTo("quick");
        assertThat(json.getJsonObject("machine").getInt("cores")).isPositive();
        assertThat(json.getJsonArray("rows").getValuesAs(JsonObject.class))
                .extracting(r -> r.getString("id"))
                .containsExactlyElementsOf(BenchMain.ROW_IDS);
        for (JsonObject row : json.getJsonArray("rows").getValuesAs(JsonObject.class)) {
            assertThat(row.getJsonArray("lines")).as("lines of row %s", row.getString("id")).isNotEmpty();
            for (JsonValue line : row.getJsonArray("lines")) {
                assertThat(line.asJsonObject().getString("status")).isIn("MET", "MISSED", "INFO");
            }
        }
        // row 8 fails itself when Zipkin received nothing; said here too, so a change to that check cannot hide it
        JsonObject tracing = json.getJsonArray("rows").getValuesAs(JsonObject.class).stream()
                .filter(r -> r.getString("id").equals("8")).findFirst().orElseThrow()
                .getJsonObject("data").getJsonObject("tracing").getJsonObject("zipkin");
        assertThat(tracing.getJsonNumber("receivedSpans").longValue()).as("spans Zipkin received in row 8").isPositive();
    }
}
