package io.meshplay.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the figures were taken on: printed above the table, since figures without it mean little. */
final class Machine {

    private Machine() {
    }

    static Map<String, Object> describe(Path repo, String consulVersion, String azuriteVersion) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name\\s*:\\s*(.+)").orElse("unknown CPU"));
        m.put("memory", firstMatch(Path.of("/proc/meminfo"), "MemTotal:\\s*(\\d+) kB")
                .map(kb -> Math.round(Long.parseLong(kb) / 1024.0 / 1024.0) + " GiB").orElse("unknown memory"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.vm.vendor", "") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.name") + ")");
        Properties v = versions();
        m.put("versions", "meshplay " + v.getProperty("meshplay") + ", Helidon " + v.getProperty("helidon") + ", grpc-java "
                + v.getProperty("grpc") + ", protobuf " + v.getProperty("protobuf") + ", consul-client "
                + v.getProperty("consul-client") + ", Azure SDK BOM " + v.getProperty("azure-sdk-bom") + ", HdrHistogram "
                + v.getProperty("hdrhistogram") + ", Consul " + consulVersion + ", Azurite " + azuriteVersion);
        m.put("git", git(repo));
        m.put("loadAverageStart", loadAverage());
        return m;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The Azurite version pinned for provisioning (the one the bench runs). */
    static String azuriteVersion(Path repo) {
        return firstMatch(repo.resolve("deploy/local/azurite.package.json"), "\"azurite\"\\s*:\\s*\"([^\"]+)\"").orElse("unknown");
    }

    private static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = Machine.class.getResourceAsStream("/meshplay-bench.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // versions then print as null, which says what happened
        }
        return p;
    }

    private static String git(Path repo) {
        try {
            Process p = new ProcessBuilder(List.of("git", "-C", repo.toString(), "describe", "--always", "--dirty"))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static java.util.Optional<String> firstMatch(Path file, String regex) {
        try {
            Matcher m = Pattern.compile(regex).matcher(Files.readString(file));
            return m.find() ? java.util.Optional.of(m.group(1).strip()) : java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
