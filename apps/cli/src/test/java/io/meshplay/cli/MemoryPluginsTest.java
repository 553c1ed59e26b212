package io.meshplay.cli;

import java.util.Map;

import com.google.gson.JsonObject;
import io.meshplay.example.service.ExampleService;
import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.broker.memory.MemoryBroker;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.server.MeshplayServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same commands with registry.type and broker.type memory (the plug-ins in this JVM): what the CLI
 * does when it has only the generic Registry and Broker APIs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemoryPluginsTest {

    private static final Map<String, String> SETTINGS = Map.of("registry.type", "memory", "broker.type", "memory");

    private MeshplayServer server;
    private final Cli cli = new Cli(SETTINGS);

    @BeforeAll
    void start() {
        Map<String, String> config = new java.util.HashMap<>(SETTINGS);
        config.put("service.name", "memo");
        server = MeshplayServer.builder().config(MeshplayConfig.of(config)).addService(new ExampleService()).start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void servicesAndDescribeThroughTheRegistryApi() {
        Cli.Result services = cli.run("services", "-o", "json");
        assertThat(services.exitCode()).as(services.toString()).isZero();
        JsonObject memo = services.array().get(0).getAsJsonObject();
        assertThat(memo.get("service").getAsString()).isEqualTo("memo");
        assertThat(memo.get("instances").getAsInt()).isEqualTo(1);
        assertThat(memo.get("health").getAsString()).isEqualTo("all passing");

        Cli.Result describe = cli.run("describe", "memo", "-o", "json");
        assertThat(describe.exitCode()).as(describe.toString()).isZero();
        JsonObject instance = describe.array().get(0).getAsJsonObject();
        assertThat(instance.get("id").getAsString()).isEqualTo(server.instance().id());
        assertThat(instance.getAsJsonArray("checks")).as("the Registry API has no checks").isEmpty();
    }

    @Test
    void callAndHealthThroughTheRegistryApi() {
        Cli.Result call = cli.run("call", "memo", "Example/Call", "{\"name\":\"Mem\"}", "-o", "json");
        assertThat(call.exitCode()).as(call.toString()).isZero();
        assertThat(call.lines().get(0).get("msg").getAsString()).isEqualTo("Hello Mem");

        Cli.Result health = cli.run("health", "memo", "-o", "json");
        assertThat(health.exitCode()).as(health.toString()).isZero();
        assertThat(health.array().get(0).getAsJsonObject().get("status").getAsString()).isEqualTo("SERVING");

        Cli.Result unknown = cli.run("call", "nope", "Example/Call", "{}");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.errorLine()).contains("registry 'memory'", "known services: memo");
    }

    @Test
    void intentionsAreKeptByTheMemoryRegistryAcrossRunsInOneJvm() {
        Cli.Result allow = cli.run("intentions", "allow", "memo-client", "memo", "--description", "kept in this JVM");
        assertThat(allow.exitCode()).as(allow.toString()).isZero();
        assertThat(cli.run("intentions", "deny", "memo-client", "memo").exitCode()).isZero();

        Cli.Result list = cli.run("intentions", "list", "-o", "json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        JsonObject only = list.array().get(0).getAsJsonObject();
        assertThat(list.array()).hasSize(1);
        assertThat(only.get("action").getAsString()).isEqualTo("deny");
        assertThat(only.get("description").getAsString()).isEqualTo("kept in this JVM");

        assertThat(cli.run("intentions", "delete", "memo-client", "memo").exitCode()).isZero();
        Cli.Result again = cli.run("intentions", "delete", "memo-client", "memo");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(again.errorLine()).isEqualTo("meshplay: no intention memo-client -> memo in registry 'memory'");
    }

    @Test
    void publishSubscribeAndReplayThroughTheBrokerApi() {
        assertThat(cli.run("publish", "memq", "{\"say\":\"hi\"}", "--type", "Message").exitCode()).isZero();

        Cli.Result got = cli.run("subscribe", "memq", "--count", "1", "--timeout", "5s", "--type", "Message", "-o", "json");
        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(got.lines().get(0).getAsJsonObject("body").get("say").getAsString()).isEqualTo("hi");

        MemoryBroker broker = MemoryBroker.shared("default", 5, java.time.Duration.ofMillis(100));
        broker.publish(Poison.queueOf("memq"), Poison.wrap(new Message(Map.of(Message.MESSAGE_ID, "m-1"), new byte[] {1}),
                "memq", "test", "h", null, 5));
        Cli.Result replay = cli.run("poison", "memq", "replay", "-o", "json");
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.array().get(0).getAsJsonObject().get("message-id").getAsString()).isEqualTo("m-1");
        assertThat(broker.depth(Poison.queueOf("memq"))).isZero();
        assertThat(broker.depth("memq")).isEqualTo(1);

        Cli.Result list = cli.run("poison", "memq", "list");
        assertThat(list.exitCode()).as("the memory broker cannot peek").isEqualTo(ExitCodes.USAGE);
    }
}
