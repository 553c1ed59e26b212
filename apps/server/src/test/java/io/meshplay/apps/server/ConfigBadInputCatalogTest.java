package io.meshplay.apps.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.config.Startup;
import io.meshplay.testing.PortLease;
import io.meshplay.testing.Ports;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue of start-up and configuration (ids C-n, docs/bad-input/config.md): each bad
 * value, argument or file, the one line the user reads and the exit code. Most cases run the server's own
 * start-up path in this JVM ({@link ServerMain#config} then {@link ServerMain#start}, the line and code
 * from {@link Startup}); the C-1x cases start the real app as a child process and check what reaches the
 * terminal: one line, no stack trace unless asked for.
 */
class ConfigBadInputCatalogTest {

    private static final String PORT = "expected a port 0..65535 (0 picks a free one)";

    private static final String SAMPLER = "expected always, never or ratio:<p> with p from 0 to 1 (e.g. ratio:0.1)";

    @TempDir
    Path dir;

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("C-1 server.port=-1 (Helidon would listen on a random port)", List.of("--set", "server.port=-1"),
                        "server: config key 'server.port' is '-1'; " + PORT, 2),
                bad("C-2 server.port=70000", List.of("--set", "server.port=70000"),
                        "server: config key 'server.port' is '70000'; " + PORT, 2),
                bad("C-3 grpc.port=http", List.of("--set", "grpc.port=http"),
                        "server: config key 'grpc.port' is 'http'; " + PORT, 2),
                bad("C-4 subscriber.concurrency=-5", List.of("--set", "subscriber.concurrency=-5"),
                        "server: config key 'subscriber.concurrency' is '-5'; expected an integer of 1 or more", 2),
                bad("C-5 subscriber.concurrency=lots", List.of("--set", "subscriber.concurrency=lots"),
                        "server: config key 'subscriber.concurrency' is 'lots'; expected an integer of 1 or more", 2),
                bad("C-6 --set =value", List.of("--set", "=value"),
                        "server: --set '=value' has an empty key; expected key=value with a key such as server.port (try --help)", 2),
                bad("C-7 --set server..port=1", List.of("--set", "server..port=1"),
                        "server: --set 'server..port=1' has the key 'server..port'; expected key=value with a key such as server.port (try --help)", 2),
                bad("C-8 unknown argument --port 80", List.of("--port", "80"),
                        "server: unknown argument '--port' (try --help)", 2),
                bad("C-9 registry.type=zookeeper", List.of("--set", "registry.type=zookeeper"),
                        "server: config key 'registry.type' is 'zookeeper'; expected one of the installed plug-ins [consul, memory]", 2),
                bad("C-10 grpc.transport=quic", List.of("--set", "grpc.transport=quic"),
                        "server: config key 'grpc.transport' is 'quic'; expected 'netty' (grpc-java's Netty server) or "
                                + "'helidon' (Helidon's gRPC routing on server.port)", 2),
                bad("C-11 server.connection-options.tcp-no-delay=maybe", List.of("--set", "server.connection-options.tcp-no-delay=maybe"),
                        "server: config key 'server.connection-options.tcp-no-delay' is 'maybe'; expected true or false", 2),
                bad("C-12 grpc.reflection=yes (only true or false)", List.of("--set", "grpc.reflection=yes"),
                        "server: config key 'grpc.reflection' is 'yes'; expected true or false", 2),
                bad("C-13 service.shutdown-timeout=10 (no unit)", List.of("--set", "service.shutdown-timeout=10"),
                        "server: config key 'service.shutdown-timeout' is '10'; expected a duration such as 500ms, 5s, 1m or PT5S", 2),
                bad("C-14 broker.azqueue.visibility-timeout=5x", List.of("--set", "broker.type=azqueue",
                                "--set", "broker.azqueue.visibility-timeout=5x"),
                        "server: config key 'broker.azqueue.visibility-timeout' is '5x'; expected a duration from 1s to 7d "
                                + "(e.g. 500ms, 5s, 1m or PT5S)", 2),
                bad("C-15 service.name missing", List.of("--set", "service.name="),
                        "server: config key 'service.name' is required: the service name clients resolve, e.g. example", 2),
                bad("C-16 --count 5 (a flag the server does not take)", List.of("--count", "5"),
                        "server: unknown argument '--count' (try --help)", 2),
                bad("C-26 tracing.sampler=sometimes", List.of("--set", "tracing.sampler=sometimes"),
                        "server: config key 'tracing.sampler' is 'sometimes'; " + SAMPLER, 2),
                bad("C-27 tracing.sampler=ratio:1.5", List.of("--set", "tracing.sampler=ratio:1.5"),
                        "server: config key 'tracing.sampler' is 'ratio:1.5'; " + SAMPLER, 2),
                bad("C-28 tracing.endpoint=localhost:9411 (no scheme)", List.of("--set", "tracing.endpoint=localhost:9411"),
                        "server: config key 'tracing.endpoint' is 'localhost:9411'; expected an http(s) URL such as "
                                + "http://127.0.0.1:9411/api/v2/spans", 2));
    }

    private static Arguments bad(String title, List<String> args, String line, int exitCode) {
        return Arguments.of(title, args, line, exitCode);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueIsOneLineNamingTheKey(String title, List<String> args, String line, int exitCode) throws IOException {
        Throwable e = startInProcess(args);
        assertThat(Startup.line("server", e, false)).isEqualTo(line);
        assertThat(Startup.exitCode(e)).isEqualTo(exitCode);
    }

    @Test
    @DisplayName("C-17 client.outlier-detection.enabled=maybe (client apps)")
    void c17_clientBooleanMaybeIsRefused() throws IOException {
        writeConfig();
        Throwable e = catchThrowable(() -> MeshplayConfig.load("client-pingpong", Map.of("client.outlier-detection.enabled", "maybe"),
                dir.toString(), MeshplayClient.OPTIONS, w -> { }));
        assertThat(Startup.line("client-pingpong", e, false)).isEqualTo(
                "client-pingpong: config key 'client.outlier-detection.enabled' is 'maybe'; expected true or false");
        assertThat(Startup.exitCode(e)).isEqualTo(2);
    }

    @Test
    @DisplayName("C-18 unknown keys: registry.consul.adress, grpc.prot")
    void c18_unknownKeysAreWarningsWithTheNearestKnownOne() throws IOException {
        writeConfig();
        Files.writeString(dir.resolve("server.yaml"), "service:\n  name: example\nregistry:\n  consul:\n    adress: http://x\n"
                + "server:\n  features:\n    anything: {}\nclient:\n  servise: not-the-server's\n");
        List<String> warnings = new ArrayList<>();
        MeshplayConfig.load("server", Map.of("grpc.prot", "5"), dir.toString(), ServerMain.OPTIONS, warnings::add);
        assertThat(warnings).containsExactlyInAnyOrder(
                "unknown key grpc.prot (--set); did you mean grpc.port?",
                "unknown key registry.consul.adress (" + dir.resolve("server.yaml") + "); did you mean registry.consul.address?");
    }

    @Test
    @DisplayName("C-19 server.port in use (real server process)")
    void c19_portInUseIsOneLineAndExitCodeOne() throws Exception {
        try (PortLease lease = Ports.lease(); ServerSocket taken = listen(lease.port())) {
            writeConfig();
            ServerStart run = ServerStart.run(dir, Map.of(), List.of("--config-dir", dir.toString(),
                    "--set", "server.port=" + lease.port()));
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.report()).containsExactly("server: server.port " + lease.port()
                    + ": address already in use on 127.0.0.1 (another process listens there; 0 picks a free port)");
            assertThat(run.hasStackFrames()).isFalse();
            assertThat(run.stderr()).noneMatch(line -> line.contains("SEVERE"));
        }
    }

    @Test
    @DisplayName("C-20 grpc.port in use")
    void c20_grpcPortInUseNamesGrpcPort() throws Exception {
        try (PortLease lease = Ports.lease(); ServerSocket taken = listen(lease.port())) {
            Throwable e = startInProcess(List.of("--set", "grpc.port=" + lease.port()));
            assertThat(Startup.line("server", e, false)).isEqualTo("server: grpc.port " + lease.port()
                    + ": address already in use on 127.0.0.1 (another process listens there; 0 picks a free port)");
            assertThat(Startup.exitCode(e)).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("C-21 server.port=-1 on the terminal (real server process)")
    void c21_aBadValueReachesTheTerminalAsOneLine() throws Exception {
        writeConfig();
        ServerStart run = ServerStart.run(dir, Map.of(), List.of("--config-dir", dir.toString(), "--set", "server.port=-1"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).containsExactly("server: config key 'server.port' is '-1'; " + PORT);
    }

    @Test
    @DisplayName("C-22 --verbose and MESHPLAY_DEBUG=1 add the stack trace")
    void c22_verboseAndDebugAddTheTrace() throws Exception {
        writeConfig();
        List<String> args = List.of("--config-dir", dir.toString(), "--set", "subscriber.concurrency=lots");
        String line = "server: config key 'subscriber.concurrency' is 'lots'; expected an integer of 1 or more";
        List<String> verbose = new ArrayList<>(args);
        verbose.add("--verbose");
        for (ServerStart run : List.of(ServerStart.run(dir, Map.of(), verbose), ServerStart.run(dir, Map.of("MESHPLAY_DEBUG", "1"), args))) {
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.stderr().getFirst()).isEqualTo(line);
            assertThat(run.hasStackFrames()).isTrue();
        }
    }

    @Test
    @DisplayName("C-23 malformed YAML (real server process)")
    void c23_malformedYamlNamesTheFile() throws Exception {
        writeConfig();
        Files.writeString(dir.resolve("server.yaml"), "service:\n  name: example\n   bad: [\n");
        ServerStart run = ServerStart.run(dir, Map.of(), List.of("--config-dir", dir.toString()));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).containsExactly("server: config file '" + dir.resolve("server.yaml").toAbsolutePath().normalize()
                + "' is not valid YAML: mapping values are not allowed here at line 3, column 7");
    }

    @Test
    @DisplayName("C-24 MESHPLAY_CONFIG_DIR names a missing folder")
    void c24_aNamedConfigFolderThatIsNotThereFails() throws Exception {
        Path missing = dir.resolve("no-such-folder");
        ServerStart run = ServerStart.run(dir, Map.of("MESHPLAY_CONFIG_DIR", missing.toString()), List.of());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).containsExactly("server: config folder '" + missing
                + "' (from MESHPLAY_CONFIG_DIR) does not exist; expected the folder with meshplay.yaml");
    }

    @Test
    @DisplayName("C-25 no config folder and the required keys not given")
    void c25_noConfigFolderAndNothingGivenFails() throws Exception {
        ServerStart run = ServerStart.run(dir, Map.of(), List.of("--set", "registry.type=memory"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).containsExactly("server: config folder '" + dir.toRealPath().resolve("config")
                + "' does not exist; expected it (set MESHPLAY_CONFIG_DIR or --config-dir), or broker.type, service.name"
                + " given with --set or the environment");
    }

    /** What ServerMain's main runs after parsing, in this JVM; the start must fail. */
    private Throwable startInProcess(List<String> args) throws IOException {
        writeConfig();
        List<String> all = new ArrayList<>(List.of("--config-dir", dir.toString()));
        all.addAll(args);
        Throwable e = catchThrowable(() -> ServerMain.start(ServerMain.config(all.toArray(String[]::new))).close());
        assertThat(e).as("the start fails").isNotNull();
        return e;
    }

    /** A config folder as a user has one: the memory plug-ins (nothing outside this JVM) and a service name. */
    private void writeConfig() throws IOException {
        Files.writeString(dir.resolve("meshplay.yaml"), "registry:\n  type: memory\nbroker:\n  type: memory\n");
        if (!Files.exists(dir.resolve("server.yaml"))) {
            Files.writeString(dir.resolve("server.yaml"), "service:\n  name: example\n");
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

}
