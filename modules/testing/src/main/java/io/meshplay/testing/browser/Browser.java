package io.meshplay.testing.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.meshplay.testing.Processes;

/**
 * Looks at a page as a person would: real headless chromium (Debian's) driven by playwright-core through the
 * node wrapper from MESHPLAY_BROWSER_BIN or deploy/local/provision-browser, which also names the chromium
 * (MESHPLAY_CHROMIUM). Each {@link #open} is one node process running page-check.js (a resource of this
 * package): fresh profile, the flags a closed network needs, wait for texts, screenshot, exit. ~4-5 s a call.
 * Single-page apps (Zipkin's UI is React) are checked by waiting for text, not for the load event.
 */
public final class Browser {

    /** Time for node and chromium to start and stop, on top of a call's own timeout. */
    private static final Duration OVERHEAD = Duration.ofSeconds(60);
    static final Path LOG_DIR = Path.of("target", "mesh-logs");
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static volatile Path script;
    private static volatile Path nodeWrapper;

    private Browser() {
    }

    /**
     * What a page showed.
     *
     * @param url        the page opened
     * @param text       the visible text of its body ({@code document.body.innerText})
     * @param screenshot the full-page screenshot taken once the texts appeared
     * @param took       from starting node to its exit
     */
    public record PageText(String url, String text, Path screenshot, Duration took) {
        public boolean contains(String s) {
            return text.contains(s);
        }
    }

    /**
     * Opens {@code url} and returns its visible text once every one of {@code waitForTexts} is in it.
     *
     * @param timeout    how long the page may take to show them (navigation included)
     * @param screenshot where to save a full-page PNG (also on failure); null for target/mesh-logs/browser-N.png
     * @throws AssertionError if a text did not appear in time, with the text the page did show and the screenshot
     * @throws IllegalStateException if the browser could not be run or the page not loaded
     */
    public static PageText open(String url, List<String> waitForTexts, Duration timeout, Path screenshot) {
        int call = CALLS.incrementAndGet();
        String name = "browser-" + ProcessHandle.current().pid() + "-" + call;
        Path shot = (screenshot != null ? screenshot : LOG_DIR.resolve(name + ".png")).toAbsolutePath();
        Path log = LOG_DIR.resolve(name + ".log").toAbsolutePath();
        Path out = LOG_DIR.resolve(name + ".json").toAbsolutePath();
        try {
            Files.createDirectories(shot.getParent());
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folders for " + shot + " and " + log, e);
        }
        List<String> command = List.of(node().toString(), script().toString(), url,
                new Gson().toJson(waitForTexts), Long.toString(timeout.toMillis()), shot.toString());
        long started = System.nanoTime();
        Process node;
        try {
            node = new ProcessBuilder(command)
                    .directory(log.getParent().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst(), e);
        }
        boolean exited;
        try {
            exited = node.waitFor(timeout.plus(OVERHEAD).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(node);
            throw new IllegalStateException("interrupted while the browser opened " + url, e);
        }
        if (!exited) {
            killTree(node);
            throw new IllegalStateException("the browser did not finish with " + url + " within " + timeout.plus(OVERHEAD)
                    + " and was killed (node pid " + node.pid() + "); log " + log);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        JsonObject result;
        try {
            result = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the browser (exit " + node.exitValue() + ") gave no result for " + url
                    + "; log " + log + ":\n" + readQuietly(log), e);
        }
        String text = result.has("text") ? result.get("text").getAsString() : "";
        if (node.exitValue() == 0 && result.get("ok").getAsBoolean()) {
            return new PageText(url, text, shot, took);
        }
        if (node.exitValue() == 1) {
            List<String> missing = new ArrayList<>();
            result.getAsJsonArray("missing").forEach(m -> missing.add(m.getAsString()));
            throw new AssertionError("page " + url + " did not show " + missing + " within " + timeout
                    + "; screenshot " + shot + "; it showed:\n" + text);
        }
        throw new IllegalStateException("the browser could not check " + url + " (exit " + node.exitValue() + "): "
                + (result.has("error") ? result.get("error").getAsString() : "no error reported") + "; log " + log
                + (Files.exists(shot) ? "; screenshot " + shot : ""));
    }

    /** As {@link #open(String, List, Duration, Path)}, screenshot under target/mesh-logs. */
    public static PageText open(String url, List<String> waitForTexts, Duration timeout) {
        return open(url, waitForTexts, timeout, null);
    }

    /** Kills node and every process under it (chromium and its helpers) by PID, children first. */
    static void killTree(Process node) {
        List<ProcessHandle> descendants = node.descendants().toList();
        Processes.stop(node, Duration.ofSeconds(2));
        for (ProcessHandle p : descendants) {
            Processes.stop(p.pid(), Duration.ofSeconds(2));
        }
    }

    /** page-check.js copied out of the class path once per JVM into target/ (deleted when the JVM exits). */
    private static Path script() {
        Path s = script;
        if (s != null) {
            return s;
        }
        synchronized (Browser.class) {
            if (script == null) {
                try (InputStream in = Browser.class.getResourceAsStream("page-check.js")) {
                    if (in == null) {
                        throw new IllegalStateException("page-check.js is not on the class path next to " + Browser.class);
                    }
                    Files.createDirectories(LOG_DIR);
                    Path tmp = Files.createTempFile(LOG_DIR.toAbsolutePath(), "page-check-", ".js");
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    tmp.toFile().deleteOnExit();
                    script = tmp;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy page-check.js", e);
                }
            }
            return script;
        }
    }

    /** The provisioned node wrapper, looked up once per JVM. */
    static Path node() {
        Path n = nodeWrapper;
        if (n == null) {
            n = tool("browser");
            nodeWrapper = n;
        }
        return n;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /**
     * As {@link Processes#tool}, but under deploy/local/test (MESHPLAY_TEST_PROVISIONED names the tool) a missing
     * MESHPLAY_BROWSER_BIN is an error, not a cue to provision.
     */
    private static Path tool(String tool) {
        String env = "MESHPLAY_" + tool.toUpperCase(Locale.ROOT).replace('-', '_') + "_BIN";
        String provisioned = System.getenv("MESHPLAY_TEST_PROVISIONED");
        if (provisioned != null && List.of(provisioned.split("\\s+")).contains(tool)
                && (System.getenv(env) == null || System.getenv(env).isBlank())) {
            throw new IllegalStateException("running under deploy/local/test (MESHPLAY_TEST_PROVISIONED=" + provisioned
                    + ") but " + env + " is not set: deploy/local/test must run deploy/local/provision-" + tool
                    + " and export it");
        }
        return Processes.tool(tool);
    }
}
