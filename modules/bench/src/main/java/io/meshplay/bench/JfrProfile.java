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
 * and the first frame outside the JDK (whose code asked for it). On JDK 25+ the recording also takes
 * {@code jdk.CPUTimeSample} (JEP 509, Linux CPU-time sampling), which sees many more samples of a
 * server whose threads mostly wait in native I/O, and is summarised the same way.
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
        List<String> start = new ArrayList<>(List.of("JFR.start", "name=meshplay-bench", "settings=profile",
                "filename=" + file.toAbsolutePath()));
        if (Runtime.version().feature() >= 25) {
            start.add("jdk.CPUTimeSample#enabled=true");
            start.add("jdk.CPUTimeSample#throttle=5ms");
        }
        jcmd(child.pid(), start.toArray(String[]::new));
        try {
            load.run();
        } finally {
            jcmd(child.pid(), "JFR.stop", "name=meshplay-bench");
        }
        return hotMethods(file);
    }

    static Map<String, Object> hotMethods(Path file) {
        Tally execution = new Tally();
        Tally cpu = new Tally();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                String type = e.getEventType().getName();
                if (e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) {
                    continue;
                }
                if (type.equals("jdk.ExecutionSample")) {
                    execution.add(e.getStackTrace().getFrames());
                } else if (type.equals("jdk.CPUTimeSample")) {
                    cpu.add(e.getStackTrace().getFrames());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JFR recording " + file, e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recording", file.toString());
        m.put("executionSamples", execution.samples);
        m.put("topFrames", top(execution.self, execution.samples));
        m.put("topNonJdkFrames", top(execution.caller, execution.samples));
        m.put("topPackages", top(execution.packages, execution.samples));
        if (cpu.samples > 0) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("samples", cpu.samples);
            c.put("topFrames", top(cpu.self, cpu.samples));
            c.put("topNonJdkFrames", top(cpu.caller, cpu.samples));
            c.put("topPackages", top(cpu.packages, cpu.samples));
            m.put("cpuTimeSample", c);
        }
        return m;
    }

    /** Counts of one sample type by top frame, first non-JDK frame and top frame's package. */
    private static final class Tally {
        final Map<String, Integer> self = new HashMap<>();
        final Map<String, Integer> caller = new HashMap<>();
        final Map<String, Integer> packages = new HashMap<>();
        int samples;

        void add(List<RecordedFrame> frames) {
            samples++;
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
    }

    /** A few lines for below the table. */
    @SuppressWarnings("unchecked")
    static String summary(String title, Map<String, Object> profile) {
        StringBuilder b = new StringBuilder(title).append('\n');
        section(b, profile.get("executionSamples") + " samples of jdk.ExecutionSample", profile);
        if (profile.get("cpuTimeSample") instanceof Map<?, ?> cpu) {
            section(b, cpu.get("samples") + " samples of jdk.CPUTimeSample", (Map<String, Object>) cpu);
        }
        return "```\n" + b.toString().stripTrailing() + "\n```";
    }

    @SuppressWarnings("unchecked")
    private static void section(StringBuilder b, String what, Map<String, Object> tally) {
        b.append("  ").append(what).append(", top frames:\n");
        lines(b, (List<Map<String, Object>>) tally.get("topFrames"), 8);
        b.append("  first frame outside the JDK:\n");
        lines(b, (List<Map<String, Object>>) tally.get("topNonJdkFrames"), 5);
    }

    private static void lines(StringBuilder b, List<Map<String, Object>> entries, int max) {
        for (Map<String, Object> e : entries.subList(0, Math.min(max, entries.size()))) {
            b.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", ((Number) e.get("percent")).doubleValue(), e.get("method")));
        }
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
