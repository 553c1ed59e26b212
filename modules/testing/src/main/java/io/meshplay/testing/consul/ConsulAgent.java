package io.meshplay.testing.consul;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.meshplay.testing.PortLease;
import io.meshplay.testing.PortRetry;
import io.meshplay.testing.Processes;

/**
 * A real {@code consul agent -dev} on six leased loopback ports (see {@link io.meshplay.testing.Ports}),
 * started for tests and stopped by PID. An agent that cannot bind one of them is started again on fresh
 * ports ({@link PortRetry}).
 *
 * <p>{@link #restart()} wipes the data dir (where even a dev agent persists its local services), so
 * the restarted agent has forgotten every registration: exactly what a re-registration test needs.
 * The ports stay the same across restarts so clients configured with {@link #httpAddress()} keep working.
 *
 * <p>In ACL mode the agent denies by default and knows one management token, generated here and
 * kept in memory only; it is never written to logs or {@link #toString()}.
 */
public final class ConsulAgent implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConsulAgent.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern VERSION = Pattern.compile("Consul v(\\d+)\\.(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final Path binary;
    private final boolean acl;
    private final String managementToken;
    private final PortLease ports;
    private final int httpPort;
    private final int dnsPort;
    private final int serfLanPort;
    private final int serfWanPort;
    private final int serverPort;
    private final int grpcPort;
    private final Path workDir;
    private final Path log;
    private final int[] version;
    private final String extraHcl;
    private volatile Process process;

    private ConsulAgent(Path binary, int[] version, boolean acl, String extraHcl, PortLease ports) {
        this.binary = binary;
        this.acl = acl;
        this.extraHcl = extraHcl;
        this.managementToken = acl ? UUID.randomUUID().toString() : null;
        this.ports = ports;
        this.httpPort = ports.port(0);
        this.dnsPort = ports.port(1);
        this.serfLanPort = ports.port(2);
        this.serfWanPort = ports.port(3);
        this.serverPort = ports.port(4);
        this.grpcPort = ports.port(5);
        this.version = version;
        try {
            this.workDir = Files.createTempDirectory("meshplay-consul-" + httpPort + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data dir for consul", e);
        }
        this.log = logDir().resolve("consul-" + httpPort + ".log");
    }

    /** Starts a dev agent without ACLs and waits until it has a leader. */
    public static ConsulAgent start() {
        return start(false);
    }

    /**
     * Starts a dev agent and waits until it has a leader (and, with ACLs, until the management token works).
     *
     * @param acl enable ACLs with {@code default_policy = deny}
     */
    public static ConsulAgent start(boolean acl) {
        return start(acl, "");
    }

    /**
     * As {@link #start(boolean)}, with more agent configuration in HCL (passed as {@code -hcl}), e.g.
     * {@code connect { enabled = false }} for an agent without Connect (dev agents have it on).
     */
    public static ConsulAgent start(boolean acl, String extraHcl) {
        Path binary = Processes.tool("consul");
        int[] version = version(binary);
        return PortRetry.start("consul agent", 6, (ports, output) -> {
            ConsulAgent agent = new ConsulAgent(binary, version, acl, extraHcl, ports);
            try {
                output.watch(agent.log);
                agent.launch();
                return agent;
            } catch (RuntimeException e) {
                agent.close();
                throw e;
            }
        });
    }

    /** {@code http://127.0.0.1:<port>}: what a registry's {@code address} is set to. */
    public String httpAddress() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public boolean aclEnabled() {
        return acl;
    }

    /** The management token of an ACL agent; a test passes it to the code under test, never to a log. */
    public String managementToken() {
        if (!acl) {
            throw new IllegalStateException("this agent runs without ACLs; start it with acl = true");
        }
        return managementToken;
    }

    /** The PID of the running agent process. */
    public long pid() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("consul on port " + httpPort + " is not running");
        }
        return p.pid();
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Where the agent writes its output; appended across restarts. */
    public Path logFile() {
        return log;
    }

    /** {@code major.minor} of the consul binary, e.g. {@code 1.8}. */
    public String version() {
        return version[0] + "." + version[1];
    }

    /**
     * Stops the agent (SIGTERM, then SIGKILL), deletes its data dir and starts it again on the same ports:
     * every registration is gone afterwards, as after the loss of an agent's state.
     */
    public void restart() {
        stopProcess();
        deleteTree(workDir.resolve("data"));
        launch();
    }

    /**
     * SIGKILL, as a crash: the HTTP port refuses at once. A graceful stop first answers for a moment with
     * HTTP 500 "No cluster leader" while the agent leaves, which a test of an unreachable agent must not see.
     */
    public void killProcess() {
        Process p = process;
        process = null;
        if (p != null && !Processes.kill(p.pid())) {
            throw new IllegalStateException("consul pid " + p.pid() + " survived SIGKILL");
        }
    }

    /** Stops the agent process; {@link #restart()} can start it again. */
    public void stopProcess() {
        Process p = process;
        process = null;
        if (p != null && !Processes.stop(p, Duration.ofSeconds(5))) {
            throw new IllegalStateException("consul pid " + p.pid() + " did not stop");
        }
    }

    /**
     * GET {@code path} (e.g. {@code /v1/health/service/example?passing}) on the agent's HTTP API, with the
     * management token in ACL mode. Returns the body of a 2xx response.
     */
    public String get(String path) {
        HttpResponse<String> response = call("GET", path, null, acl ? managementToken : null);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("GET " + path + " on consul " + httpPort + " returned HTTP "
                    + response.statusCode() + ": " + response.body().strip());
        }
        return response.body();
    }

    /**
     * Any request to the agent's HTTP API, as an operator's tool would make it: {@code token} (may be null)
     * in the {@code X-Consul-Token} header; the answer whatever its status.
     */
    public HttpResponse<String> call(String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpAddress() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on consul " + httpPort + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the agent, deletes its data and releases its ports. */
    @Override
    public void close() {
        try {
            stopProcess();
        } finally {
            deleteTree(workDir);
            ports.close();
        }
    }

    @Override
    public String toString() {
        return "consul " + version() + " on " + httpAddress() + (acl ? " (ACL, default deny)" : "");
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(
                binary.toString(), "agent", "-dev",
                "-node=meshplay-test-" + httpPort,
                "-bind=127.0.0.1",
                "-client=127.0.0.1",
                "-data-dir=" + workDir.resolve("data"),
                "-config-file=" + writeConfig(),
                "-http-port=" + httpPort,
                "-dns-port=" + dnsPort,
                "-serf-lan-port=" + serfLanPort,
                "-serf-wan-port=" + serfWanPort,
                "-server-port=" + serverPort,
                "-grpc-port=" + grpcPort));
        if (!extraHcl.isBlank()) {
            command.add("-hcl=" + extraHcl);
        }
        Process p = Processes.start(command, workDir, log, Map.of());
        process = p;
        try {
            Processes.waitForHttp(httpAddress() + "/v1/status/leader", Map.of(),
                    body -> body.contains(":"), START_TIMEOUT, p);
            if (acl) {
                // the management token is installed by the leader shortly after the election
                Processes.waitForHttp(httpAddress() + "/v1/acl/token/self", Map.of("X-Consul-Token", managementToken),
                        body -> true, START_TIMEOUT, p);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() + "; consul log " + log + " ends with:\n" + tail(), e);
        }
        LOG.log(System.Logger.Level.INFO, "started " + this + ", pid " + p.pid() + ", log " + log);
    }

    private Path writeConfig() {
        StringBuilder json = new StringBuilder("{\"disable_update_check\": true");
        if (atLeast(1, 14)) {
            // newer dev agents also open a gRPC TLS port (8503), which would clash between parallel agents
            json.append(", \"ports\": {\"grpc_tls\": -1}");
        }
        if (acl) {
            // "master" was renamed "initial_management" in 1.11; old agents reject the new name
            String key = atLeast(1, 11) ? "initial_management" : "master";
            json.append(", \"acl\": {\"enabled\": true, \"default_policy\": \"deny\", \"enable_token_persistence\": false,")
                    .append(" \"tokens\": {\"").append(key).append("\": \"").append(managementToken)
                    .append("\", \"agent\": \"").append(managementToken).append("\"}}");
        }
        json.append('}');
        Path file = workDir.resolve("meshplay-test.json");
        try {
            Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
            // the file holds a token: keep it private to this user
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private boolean atLeast(int major, int minor) {
        return version[0] > major || (version[0] == major && version[1] >= minor);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int[] version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = VERSION.matcher(out);
            if (!m.find()) {
                throw new IllegalStateException(binary + " version printed no 'Consul vX.Y': " + out.strip());
            }
            return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path logDir() {
        Path target = Path.of("target");
        Path dir = Files.isDirectory(target) ? target.resolve("consul-logs") : Path.of(System.getProperty("java.io.tmpdir"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + dir + ": " + e);
        }
    }
}
