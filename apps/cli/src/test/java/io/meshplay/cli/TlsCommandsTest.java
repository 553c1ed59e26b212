package io.meshplay.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.service.ExampleService;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code call} and {@code health} against a server that requires mutual TLS ({@code tls.mode: files}). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsCommandsTest {

    @TempDir
    static Path dir;
    private final String space = "cli-tls-" + UUID.randomUUID();
    private MeshplayServer server;
    private TestCertificates.Pair ca;
    private TestCertificates.Pair cli;

    @BeforeAll
    void start() {
        TestCertificates certs = new TestCertificates(dir);
        ca = certs.ca("ca");
        TestCertificates.Pair example = certs.leaf(ca, "tlsmemo");
        cli = certs.leaf(ca, "meshplay-cli");
        Map<String, String> config = new HashMap<>(registry());
        config.putAll(Map.of("service.name", "tlsmemo", "tls.mode", "files", "tls.files.cert", example.cert().toString(),
                "tls.files.key", example.key().toString(), "tls.files.ca", ca.cert().toString()));
        server = MeshplayServer.builder().config(MeshplayConfig.of(config)).addService(new ExampleService()).start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Map<String, String> registry() {
        return Map.of("registry.type", "memory", "registry.memory.name", space, "broker.type", "memory");
    }

    private Cli cli(Map<String, String> tls) {
        Map<String, String> settings = new HashMap<>(registry());
        settings.putAll(tls);
        return new Cli(settings);
    }

    private Map<String, String> mutual() {
        return Map.of("tls.mode", "files", "tls.files.ca", ca.cert().toString(), "tls.files.cert", cli.cert().toString(),
                "tls.files.key", cli.key().toString(), "tls.files.server-name", "{service}");
    }

    @Test
    void callAndHealthUseTheSameTlsSettingsAsEveryClient() {
        Cli.Result call = cli(mutual()).run("call", "tlsmemo", "Example/Call", "{\"name\":\"Tls\"}", "-o", "json");
        assertThat(call.exitCode()).as(call.toString()).isZero();
        assertThat(call.lines().get(0).get("msg").getAsString()).isEqualTo("Hello Tls");

        Cli.Result direct = cli(mutual()).run("call", "tlsmemo", "Example/Call", "{\"name\":\"Direct\"}", "--instance",
                server.instance().id(), "-o", "json");
        assertThat(direct.exitCode()).as(direct.toString()).isZero();

        Cli.Result health = cli(mutual()).run("health", "tlsmemo", "-o", "json");
        assertThat(health.exitCode()).as(health.toString()).isZero();
        assertThat(health.array().get(0).getAsJsonObject().get("status").getAsString()).isEqualTo("SERVING");
    }

    @Test
    void aPlaintextCliIsRefusedAndSaysSo() {
        Cli.Result health = cli(Map.of()).run("health", "tlsmemo", "-o", "json");
        assertThat(health.exitCode()).as(health.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(health.array().get(0).getAsJsonObject().get("status").getAsString()).isEqualTo("UNREACHABLE");
    }

    @Test
    void aMissingKeyFileIsOneLineNamingTheKeyAndTheFile() {
        Map<String, String> tls = new HashMap<>(mutual());
        tls.put("tls.files.key", dir.resolve("missing.key").toString());
        Cli.Result call = cli(tls).run("call", "tlsmemo", "Example/Call", "{}");
        assertThat(call.exitCode()).as(call.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(call.errorLine()).contains("config key 'tls.files.key' names '" + dir.resolve("missing.key") + "', which does not exist");
    }
}
