package io.meshplay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshplay.testing.Ports;

/**
 * Where an idle server's memory goes, by JVM area: one extra start of the app with Native Memory
 * Tracking (which itself costs a little memory, so this start is not one of the measured ones) and
 * {@code jcmd VM.native_memory summary}. Says what to size to reach the idle RSS goal.
 */
final class NativeMemory {

    private static final Pattern AREA = Pattern.compile("-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private NativeMemory() {
    }

    static Map<String, Object> idleSummary(BenchEnv env) {
        ServerPorts ports = ServerPorts.free();
        try (ChildJvm server = env.appServer("row6-nmt", AotCache.SERVICE, ports, "-XX:NativeMemoryTracking=summary", Map.of())) {
            server.awaitHttp200(BenchEnv.healthUrl(ports.observe()), Duration.ofSeconds(60), 20);
            ChildJvm.pause(1500);
            String out = jcmd(server.pid());
            Map<String, Object> m = new LinkedHashMap<>();
            Matcher total = TOTAL.matcher(out);
            Long committed = total.find() ? Long.parseLong(total.group(2)) : null;
            m.put("committedKib", committed);
            m.put("rssKib", server.rssKib());
            List<long[]> sizes = new ArrayList<>();
            List<String> names = new ArrayList<>();
            Matcher a = AREA.matcher(out);
            while (a.find()) {
                names.add(a.group(1).strip());
                sizes.add(new long[] {Long.parseLong(a.group(3)), names.size() - 1});
            }
            sizes.sort((x, y) -> Long.compare(y[0], x[0]));
            Map<String, Object> areas = new LinkedHashMap<>();
            StringBuilder summary = new StringBuilder();
            for (long[] s : sizes) {
                areas.put(names.get((int) s[1]), s[0]);
                if (areas.size() <= 7) {
                    summary.append(summary.isEmpty() ? "" : ", ").append(names.get((int) s[1])).append(' ')
                            .append(String.format(Locale.ROOT, "%.0f MB", s[0] / 1024.0));
                }
            }
            m.put("committedKibByArea", areas);
            m.put("summary", "committed " + (committed == null ? "?" : Math.round(committed / 1024.0) + " MB") + ": " + summary);
            server.stop(Duration.ofSeconds(30));
            return m;
        }
    }

    private static String jcmd(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
                    "VM.native_memory", "summary").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jcmd VM.native_memory", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
