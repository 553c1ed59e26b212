package io.meshplay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of a child JVM while the bench loads it (started and stopped with {@code jcmd}, so
 * only the profiled window is recorded and the compared rounds ran without JFR), and its hot methods
 * from the {@code jdk.ExecutionSample} events: the top frame of each sample (where CPU time is spent)
 * and the first frame outside the JDK (whose code asked for it).
 */
final class JfrProfile {

    private static final int TOP = 10;

    private JfrProfile() {
    }

    static Map<String, Object> record(ChildJvm child, Path file, Runnable load) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + file, e);
        }
        jcmd(child.pid(), "JFR.start", "name=meshplay-bench", "settings=profile", "filename=" + file.toAbsolutePath());
        try {
            load.run();
        } finally {
            jcmd(child.pid(), "JFR.stop", "name=meshplay-bench");
        }
        return hotMethods(file);
    }

    static Map<String, Object> hotMethods(Path file) {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> caller = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        int samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
                        || e.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                RecordedFrame top = frames.getFirst();
                self.merge(name(top), 1, Integer::sum);
                packages.merge(packageOf(top.getMethod().getType().getName()), 1, Integer::sum);
                for (RecordedFrame f : frames) {
                    if (!isJdk(f.getMethod().getType().getName())) {
                        caller.merge(name(f), 1, Integer::sum);
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JFR recording " + file, e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recording", file.toString());
        m.put("executionSamples", samples);
        m.put("topFrames", top(self, samples));
        m.put("topNonJdkFrames", top(caller, samples));
        m.put("topPackages", top(packages, samples));
        return m;
    }

    /** A few lines for below the table. */
    @SuppressWarnings("unchecked")
    static String summary(String title, Map<String, Object> profile) {
        StringBuilder b = new StringBuilder(title).append(" (").append(profile.get("executionSamples"))
                .append(" samples of jdk.ExecutionSample; top frames, then first non-JDK frames):\n");
        for (Map<String, Object> e : (List<Map<String, Object>>) profile.get("topFrames")) {
            b.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", ((Number) e.get("percent")).doubleValue(), e.get("method")));
        }
        b.append("    --\n");
        List<Map<String, Object>> callers = (List<Map<String, Object>>) profile.get("topNonJdkFrames");
        for (Map<String, Object> e : callers.subList(0, Math.min(6, callers.size()))) {
            b.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", ((Number) e.get("percent")).doubleValue(), e.get("method")));
        }
        return "```\n" + b.toString().stripTrailing() + "\n```";
    }

    private static List<Map<String, Object>> top(Map<String, Integer> counts, int samples) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : entries.subList(0, Math.min(TOP, entries.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", e.getKey());
            m.put("samples", e.getValue());
            m.put("percent", Spread.round(100.0 * e.getValue() / Math.max(1, samples)));
            out.add(m);
        }
        return out;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("com.sun.");
    }

    private static String packageOf(String type) {
        int dot = type.lastIndexOf('.');
        return dot < 0 ? "" : type.substring(0, dot);
    }

    private static void jcmd(long pid, String... command) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        c.add(Long.toString(pid));
        c.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.contains("Could not") || out.contains("Exception")) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
