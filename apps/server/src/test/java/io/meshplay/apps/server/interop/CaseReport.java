package io.meshplay.apps.server.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.gson.JsonObject;

/** The suite's table of outcomes and durations per client and case, written to target/ for the record. */
final class CaseReport {

    record Row(String client, String kase, String verdict, long ms, String note) {
    }

    private static final List<String> NOTED = List.of("received", "strokes", "after_ms", "codes", "server_max_heap_mb",
            "server_max_lead", "server_stopped_after_ms", "server_stream_ended_ms", "grpc");

    private CaseReport() {
    }

    static String note(JsonObject result, Optional<KnownDefects.Defect> known) {
        if (result == null) {
            return "no result";
        }
        if (!result.get("ok").getAsBoolean()) {
            String why = KnownDefects.text(result, "code") + " " + KnownDefects.text(result, "details") + " "
                    + KnownDefects.text(result, "error");
            return (known.map(d -> d.upstream().title + ": ").orElse("") + why.strip()).replace('|', '/');
        }
        List<String> parts = new ArrayList<>();
        for (String key : NOTED) {
            if (result.has(key)) {
                parts.add(key + "=" + result.get(key));
            }
        }
        return String.join(" ", parts).replace('|', '/');
    }

    static Path write(String transport, List<Row> rows, List<String> notes, long suiteMs) {
        StringBuilder md = new StringBuilder();
        md.append("| transport | client | case | result | ms | notes |\n|---|---|---|---|---:|---|\n");
        for (Row r : rows) {
            md.append("| ").append(transport).append(" | ").append(r.client()).append(" | ").append(r.kase())
                    .append(" | ").append(r.verdict()).append(" | ").append(r.ms()).append(" | ").append(r.note()).append(" |\n");
        }
        md.append("\nsuite (").append(transport).append("): ").append(suiteMs).append(" ms including server start and stop\n");
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        Path file = Path.of("target", "interop-results-" + transport + ".md");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, md);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
