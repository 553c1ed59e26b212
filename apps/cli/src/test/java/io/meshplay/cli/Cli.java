package io.meshplay.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.meshplay.config.MeshplayConfig;
import picocli.CommandLine;

/**
 * Runs the {@code meshplay} command in this JVM as a user would (same picocli setup, same error
 * handling), with the config built from the test's settings only (no files, no environment).
 */
final class Cli {

    private final Map<String, String> settings;
    private final boolean interactive;

    Cli(Map<String, String> settings) {
        this(settings, false);
    }

    private Cli(Map<String, String> settings, boolean interactive) {
        this.settings = Map.copyOf(settings);
        this.interactive = interactive;
    }

    /** The same, as if a person sat at a terminal (prompts are answered from stdin). */
    Cli interactive() {
        return new Cli(settings, true);
    }

    Result run(String... args) {
        return runWithStdin("", args);
    }

    Result runWithStdin(String stdin, String... args) {
        MeshplayCli cli = new MeshplayCli(overrides -> {
            Map<String, String> all = new HashMap<>(settings);
            all.putAll(overrides);
            return MeshplayConfig.of(all);
        }, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), interactive);
        CommandLine cmd = MeshplayCli.commandLine(cli);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    record Result(int exitCode, String out, String err) {

        JsonElement json() {
            return JsonParser.parseString(out);
        }

        JsonArray array() {
            return json().getAsJsonArray();
        }

        JsonObject object() {
            return json().getAsJsonObject();
        }

        /** {@code --output json} streams: one compact JSON value per line. */
        List<JsonObject> lines() {
            List<JsonObject> lines = new ArrayList<>();
            out.lines().filter(l -> !l.isBlank()).forEach(l -> lines.add(JsonParser.parseString(l).getAsJsonObject()));
            return lines;
        }

        /**
         * The error line: the last line on stderr. Warnings may come before it (e.g. about a server's
         * reflection); a stack trace never does without --verbose.
         */
        String errorLine() {
            List<String> lines = err.lines().toList();
            if (lines.stream().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"))) {
                throw new AssertionError("a stack trace on stderr without --verbose:\n" + err);
            }
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
