package io.meshplay.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Ports;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * services, describe and health against a real Consul: two example servers (passing gRPC checks) and
 * one registered instance nobody serves (critical), so both health states are real.
 */
@ExtendWith(ConsulExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryCommandsTest {

    private MeshFixture mesh;
    private Registry deadRegistry;
    private MeshplayServer first;
    private MeshplayServer second;
    private ServiceInstance dead;
    private Cli cli;

    @BeforeAll
    void start(ConsulAgent consul) {
        mesh = new MeshFixture(consul);
        first = mesh.startServer("example", "1.0.0");
        second = mesh.startServer("example", "1.0.0");
        deadRegistry = Registries.create(MeshplayConfig.of(mesh.registrySettings()).get("registry"));
        dead = ServiceInstance.builder().name("ghost").version("0.9.0").host("127.0.0.1").port(Ports.free())
                .tags(List.of("grpc")).metadata(Map.of("version", "0.9.0")).build();
        deadRegistry.register(dead);
        cli = mesh.cli();
        // Consul starts checks critical; wait until the servers' first gRPC checks passed
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Cli.Result r = cli.run("services", "-o", "json");
            return r.exitCode() == 0 && service(r.array(), "example") != null
                    && service(r.array(), "example").get("passing").getAsInt() == 2
                    && service(r.array(), "ghost") != null;
        });
    }

    @AfterAll
    void stop() {
        if (deadRegistry != null) {
            deadRegistry.deregister(dead);
            deadRegistry.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void servicesCountsInstancesAndSummarisesHealth() {
        Cli.Result r = cli.run("services", "--output", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonObject example = service(r.array(), "example");
        assertThat(example.get("instances").getAsInt()).isEqualTo(2);
        assertThat(example.get("health").getAsString()).isEqualTo("all passing");
        assertThat(example.get("versions").getAsJsonArray().get(0).getAsString()).isEqualTo("1.0.0");
        JsonObject ghost = service(r.array(), "ghost");
        assertThat(ghost.get("instances").getAsInt()).isEqualTo(1);
        assertThat(ghost.get("critical").getAsInt()).isEqualTo(1);
        assertThat(ghost.get("health").getAsString()).isEqualTo("0/1 passing");
        assertThat(r.array().asList()).noneMatch(s -> s.getAsJsonObject().get("service").getAsString().equals("consul"));
    }

    @Test
    void servicesAsTableHasOneRowPerService() {
        Cli.Result r = cli.run("services");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("SERVICE").contains("INSTANCES", "HEALTH");
        assertThat(lines).anyMatch(l -> l.matches("example\\s+2\\s+all passing\\s+1\\.0\\.0"));
        assertThat(lines).anyMatch(l -> l.matches("ghost\\s+1\\s+0/1 passing\\s+0\\.9\\.0"));
    }

    @Test
    void describeShowsEveryInstanceWithItsChecks() {
        Cli.Result r = cli.run("describe", "example", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonArray instances = r.array();
        assertThat(instances.asList()).extracting(i -> i.getAsJsonObject().get("id").getAsString())
                .containsExactlyInAnyOrder(first.instance().id(), second.instance().id());
        JsonObject one = find(instances, first.instance().id());
        assertThat(one.get("address").getAsString()).isEqualTo(first.instance().address());
        assertThat(one.get("version").getAsString()).isEqualTo("1.0.0");
        assertThat(one.get("status").getAsString()).isEqualTo("passing");
        assertThat(one.get("tags").getAsJsonArray().asList()).extracting(JsonElement::getAsString).contains("grpc", "metrics", "v1.0.0");
        JsonObject meta = one.getAsJsonObject("metadata");
        assertThat(meta.get("grpc_methods").getAsString()).contains("Example/Call", "Example/Stream", "Example/PingPong");
        assertThat(meta.get("metrics_path").getAsString()).isEqualTo("/observe/metrics");
        JsonArray checks = one.getAsJsonArray("checks");
        assertThat(checks.asList()).anySatisfy(c -> {
            assertThat(c.getAsJsonObject().get("status").getAsString()).isEqualTo("passing");
            assertThat(c.getAsJsonObject().get("output").getAsString()).isNotBlank();
            assertThat(c.getAsJsonObject().get("id").getAsString()).contains(first.instance().id());
        });
    }

    @Test
    void describeShowsTheFailingCheckOfACriticalInstance() {
        Cli.Result r = cli.run("describe", "ghost", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonObject ghost = r.array().get(0).getAsJsonObject();
        assertThat(ghost.get("id").getAsString()).isEqualTo(dead.id());
        assertThat(ghost.get("status").getAsString()).isEqualTo("critical");
        assertThat(ghost.get("version").getAsString()).isEqualTo("0.9.0");
        // Consul's catalog keeps a check's output from its last status change (here: none yet, since checks
        // start critical), so the status is what this can assert on
        assertThat(ghost.getAsJsonArray("checks").asList()).anySatisfy(c -> {
            assertThat(c.getAsJsonObject().get("status").getAsString()).isEqualTo("critical");
            assertThat(c.getAsJsonObject().get("name").getAsString()).isEqualTo("gRPC health " + dead.address());
        });
    }

    @Test
    void describeAsTableShowsChecksAndMetadata() {
        Cli.Result r = cli.run("describe", "example");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("id", first.instance().id(), second.instance().id(), "metadata:", "grpc_methods = ",
                "checks:", "status  passing");
    }

    @Test
    void healthAsksEveryInstanceDirectly() {
        Cli.Result r = cli.run("health", "example", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.array().asList()).hasSize(2).allSatisfy(row -> {
            assertThat(row.getAsJsonObject().get("status").getAsString()).isEqualTo("SERVING");
            assertThat(row.getAsJsonObject().get("error").isJsonNull()).isTrue();
        });
        assertThat(r.array().asList()).extracting(row -> row.getAsJsonObject().get("address").getAsString())
                .containsExactlyInAnyOrder(first.instance().address(), second.instance().address());
    }

    @Test
    void healthOfAnUnreachableInstanceFails() {
        Cli.Result r = cli.run("health", "ghost", "-o", "json", "--timeout", "2s");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        JsonObject row = r.array().get(0).getAsJsonObject();
        assertThat(row.get("status").getAsString()).isEqualTo("UNREACHABLE");
        assertThat(row.get("error").getAsString()).contains("UNAVAILABLE");
    }

    @Test
    void unknownServiceListsTheKnownOnes() {
        for (String command : List.of("describe", "health")) {
            Cli.Result r = cli.run(command, "exmaple");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(r.err()).as(command).startsWith("meshplay: no service 'exmaple'").contains("example", "ghost");
            assertThat(r.err().lines()).as("one line, no stack trace").hasSize(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void unreachableConsulIsOneLineWithTheKey() {
        Cli.Result r = cli.run("services", "--set", "registry.consul.address=http://127.0.0.1:" + Ports.free());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).startsWith("meshplay: cannot reach Consul").contains("registry.consul.address");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result r = cli.run("describe", "exmaple", "--verbose");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("CliException", "\tat ");
    }

    @Test
    void usageErrorsExitTwo() {
        Cli.Result unknownOption = cli.run("services", "--colour");
        assertThat(unknownOption.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownOption.err()).contains("--colour", "meshplay services --help");

        Cli.Result badFormat = cli.run("services", "-o", "yaml");
        assertThat(badFormat.exitCode()).isEqualTo(ExitCodes.USAGE);

        Cli.Result badPlugin = cli.run("services", "--set", "registry.type=zookeeper");
        assertThat(badPlugin.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPlugin.errorLine()).contains("registry.type", "zookeeper", "consul", "memory");

        Cli.Result badValue = cli.run("describe", "example", "--set", "registry.consul.request-timeout=soon");
        assertThat(badValue.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badValue.errorLine()).contains("registry.consul.request-timeout", "soon");

        Cli.Result noCommand = cli.run();
        assertThat(noCommand.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noCommand.err()).contains("Usage: meshplay", "services", "poison");

        Cli.Result help = cli.run("describe", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: meshplay describe", "--output", "--set");
    }

    private static JsonObject service(JsonArray services, String name) {
        for (JsonElement s : services) {
            if (s.getAsJsonObject().get("service").getAsString().equals(name)) {
                return s.getAsJsonObject();
            }
        }
        return null;
    }

    private static JsonObject find(JsonArray instances, String id) {
        for (JsonElement i : instances) {
            if (i.getAsJsonObject().get("id").getAsString().equals(id)) {
                return i.getAsJsonObject();
            }
        }
        throw new AssertionError("no instance " + id + " in " + instances);
    }
}
