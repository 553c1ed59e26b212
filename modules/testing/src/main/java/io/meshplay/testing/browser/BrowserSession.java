package io.meshplay.testing.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One page kept open in real headless chromium while a test changes the world under it and acts on it as a person
 * would: wait for text to appear or go, click a button by its accessible name, fill a field by its label. Each
 * command is bounded by its timeout (playwright waits on the condition, no sleeps); a failed wait is an
 * AssertionError with what the page showed and a screenshot. Same provisioning as {@link Browser} (node wrapper
 * from MESHPLAY_BROWSER_BIN or deploy/local/provision-browser); {@link #close()} ends node and chromium, and kills
 * them by PID if they do not end.
 */
public final class BrowserSession implements AutoCloseable {

    /** Time for node and chromium to answer on top of a command's own timeout. */
    private static final Duration OVERHEAD = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(90);
    private static final AtomicInteger SESSIONS = new AtomicInteger();
    private static final Gson GSON = new Gson();
    private static volatile Path script;

    private final Process node;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Path log;
    private final String name;
    private int screenshots;

    private BrowserSession(Process node, Path log, String name) {
        this.node = node;
        this.log = log;
        this.name = name;
        this.commands = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name(name + "-out").start(this::readAnswers);
    }

    /** Starts chromium and opens {@code url}; the page's scripts may still be starting when this returns. */
    public static BrowserSession open(String url, Duration timeout) {
        String name = "browser-session-" + ProcessHandle.current().pid() + "-" + SESSIONS.incrementAndGet();
        Path log = Browser.LOG_DIR.resolve(name + ".log").toAbsolutePath();
        Process node;
        try {
            Files.createDirectories(log.getParent());
            node = new ProcessBuilder(List.of(Browser.node().toString(), script().toString()))
                    .directory(log.getParent().toFile()).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the browser session", e);
        }
        BrowserSession session = new BrowserSession(node, log, name);
        try {
            JsonObject started = session.answer(START);
            if (!started.get("ok").getAsBoolean()) {
                throw new IllegalStateException("chromium did not start: " + started.get("error") + "; log " + log);
            }
            session.run(Map.of("op", "goto", "url", url, "timeout", timeout.toMillis()), timeout);
            return session;
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
    }

    /** Waits until the page's visible text contains {@code text}. */
    public void waitForText(String text, Duration timeout) {
        run(Map.of("op", "waitText", "text", text, "timeout", timeout.toMillis()), timeout);
    }

    /** Waits until the page's visible text no longer contains {@code text}. */
    public void waitForTextGone(String text, Duration timeout) {
        run(Map.of("op", "waitGone", "text", text, "timeout", timeout.toMillis()), timeout);
    }

    /** Clicks the one element with this ARIA role and exact accessible name, e.g. ("button", "Replay q-poison"). */
    public void click(String role, String accessibleName, Duration timeout) {
        run(Map.of("op", "click", "role", role, "name", accessibleName, "timeout", timeout.toMillis()), timeout);
    }

    /** Types {@code value} into the one field labelled exactly {@code label}. */
    public void fill(String label, String value, Duration timeout) {
        run(Map.of("op", "fill", "label", label, "value", value, "timeout", timeout.toMillis()), timeout);
    }

    /** Picks the option shown as {@code optionText} in the one select labelled exactly {@code label}. */
    public void select(String label, String optionText, Duration timeout) {
        run(Map.of("op", "select", "label", label, "value", optionText, "timeout", timeout.toMillis()), timeout);
    }

    /** How many elements match a CSS selector now. */
    public int count(String cssSelector) {
        return run(Map.of("op", "count", "selector", cssSelector), Duration.ofSeconds(5)).get("count").getAsInt();
    }

    /** The page's visible text now. */
    public String text() {
        return run(Map.of("op", "text"), Duration.ofSeconds(5)).get("text").getAsString();
    }

    /** Script errors the page reported so far: uncaught exceptions and console.error, not HTTP error answers. */
    public List<String> scriptErrors() {
        List<String> errors = new ArrayList<>();
        run(Map.of("op", "errors"), Duration.ofSeconds(5)).getAsJsonArray("errors").forEach(e -> errors.add(e.getAsString()));
        return errors;
    }

    /** The document's full scroll size, {width, height} in CSS pixels, at the 1280x800 viewport. */
    public int[] documentSize() {
        JsonObject size = run(Map.of("op", "size"), Duration.ofSeconds(5));
        return new int[] {size.get("width").getAsInt(), size.get("height").getAsInt()};
    }

    /** Saves a full-page PNG under target/mesh-logs and returns its path. */
    public Path screenshot() {
        Path shot = Browser.LOG_DIR.resolve(name + "-" + (++screenshots) + ".png").toAbsolutePath();
        run(Map.of("op", "screenshot", "path", shot.toString()), Duration.ofSeconds(30));
        return shot;
    }

    private JsonObject run(Map<String, Object> command, Duration timeout) {
        return run(command, timeout, true);
    }

    private JsonObject run(Map<String, Object> command, Duration timeout, boolean screenshotOnFailure) {
        try {
            commands.write(GSON.toJson(command) + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the browser session ended (" + command.get("op") + "); log " + log + ":\n"
                    + readQuietly(log), e);
        }
        JsonObject answer = answer(timeout.plus(OVERHEAD));
        if (answer.get("ok").getAsBoolean()) {
            return answer;
        }
        String shown = answer.has("text") ? answer.get("text").getAsString() : "";
        String shot = "";
        if (screenshotOnFailure) {
            Path path = Browser.LOG_DIR.resolve(name + "-failed-" + (++screenshots) + ".png").toAbsolutePath();
            try {
                run(Map.of("op", "screenshot", "path", path.toString()), Duration.ofSeconds(30), false);
                shot = "; screenshot " + path;
            } catch (RuntimeException | AssertionError ignored) {
                // the page may be gone; the text says what it showed
            }
        }
        String what = command.get("op") + " " + GSON.toJson(command) + ": " + answer.get("error").getAsString() + shot
                + "; the page showed:\n" + shown;
        if (answer.has("timeout") && answer.get("timeout").getAsBoolean()) {
            throw new AssertionError(what);
        }
        throw new IllegalStateException(what);
    }

    private JsonObject answer(Duration timeout) {
        String line;
        try {
            line = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the browser", e);
        }
        if (line == null) {
            throw new IllegalStateException("the browser did not answer within " + timeout + "; log " + log + ":\n" + readQuietly(log));
        }
        return JsonParser.parseString(line).getAsJsonObject();
    }

    private void readAnswers() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                answers.add(line);
            }
        } catch (IOException ignored) {
            // node ended; a waiting command times out with the log
        }
    }

    /** Closes chromium and node; kills both by PID when they do not end within 30 s. */
    @Override
    public void close() {
        try {
            commands.write("{\"op\":\"close\"}\n");
            commands.close();
        } catch (IOException ignored) {
            // node is already gone
        }
        try {
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                Browser.killTree(node);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Browser.killTree(node);
        }
    }

    private static Path script() {
        Path s = script;
        if (s != null) {
            return s;
        }
        synchronized (BrowserSession.class) {
            if (script == null) {
                try (InputStream in = BrowserSession.class.getResourceAsStream("page-session.js")) {
                    if (in == null) {
                        throw new IllegalStateException("page-session.js is not on the class path next to " + BrowserSession.class);
                    }
                    Files.createDirectories(Browser.LOG_DIR);
                    Path tmp = Files.createTempFile(Browser.LOG_DIR.toAbsolutePath(), "page-session-", ".js");
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    tmp.toFile().deleteOnExit();
                    script = tmp;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy page-session.js", e);
                }
            }
            return script;
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
