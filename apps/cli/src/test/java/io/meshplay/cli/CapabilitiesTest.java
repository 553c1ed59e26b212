package io.meshplay.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.meshplay.example.service.ExampleService;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.server.MeshplayServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands against plug-ins that offer only the core API ({@link BareRegistry}, {@link BareBroker}): what
 * needs a capability fails with one line naming the plug-in, what needs none works as with any plug-in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CapabilitiesTest {

    private static final Map<String, String> SETTINGS = Map.of("registry.type", "bare", "broker.type", "bare");
    private static final String NO_INSPECTION = "meshplay: registry 'bare' cannot show instances with their health: "
            + "RegistryInspection is not supported by registry 'bare'";
    private static final String NO_BROWSING = "meshplay: broker 'bare' cannot show messages without consuming them: "
            + "QueueBrowsing is not supported by broker 'bare'";
    private static final String NO_ADMINISTRATION = "meshplay: broker 'bare' cannot take messages off a queue or purge it: "
            + "QueueAdministration is not supported by broker 'bare'";

    private static final String NO_INTENTIONS = "meshplay: registry 'bare' cannot read or write intentions: "
            + "IntentionAdministration is not supported by registry 'bare'";

    private MeshplayServer server;
    private final Cli cli = new Cli(SETTINGS);

    @BeforeAll
    void start() {
        Map<String, String> config = new HashMap<>(SETTINGS);
        config.put("service.name", "plain");
        server = MeshplayServer.builder().config(MeshplayConfig.of(config)).addService(new ExampleService()).start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void inspectingCommandsNameTheRegistryThatCannotInspect() {
        for (List<String> args : List.of(List.of("services"), List.of("describe", "plain"), List.of("health", "plain"),
                List.of("call", "plain", "Example/Call", "{}", "--instance", server.instance().id()))) {
            Cli.Result r = cli.run(args.toArray(String[]::new));

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errorLine()).as(args.toString()).isEqualTo(NO_INSPECTION);
            assertThat(r.err().lines()).as("one line").hasSize(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void intentionCommandsNameTheRegistryWithoutIntentions() {
        for (List<String> args : List.of(List.of("intentions", "list"), List.of("intentions", "allow", "a", "b"),
                List.of("intentions", "deny", "a", "b"), List.of("intentions", "delete", "a", "b"))) {
            Cli.Result r = cli.run(args.toArray(String[]::new));

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errorLine()).as(args.toString()).isEqualTo(NO_INTENTIONS);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void callingNeedsOnlyTheRegistryApi() {
        Cli.Result call = cli.run("call", "plain", "Example/Call", "{\"name\":\"Bare\"}", "-o", "json");
        assertThat(call.exitCode()).as(call.toString()).isZero();
        assertThat(call.lines().get(0).get("msg").getAsString()).isEqualTo("Hello Bare");

        Cli.Result unknown = cli.run("call", "nope", "Example/Call", "{}");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.errorLine()).isEqualTo("meshplay: no service 'nope' in registry 'bare'; known services: plain");
    }

    @Test
    void queueCommandsNameTheBrokerThatLacksWhatTheyNeed() {
        Map<List<String>, String> expected = Map.of(
                List.of("poison", "bareq", "list"), NO_BROWSING,
                List.of("subscribe", "bareq", "--peek", "--timeout", "1s"), NO_BROWSING,
                List.of("poison", "bareq", "replay"), NO_ADMINISTRATION,
                List.of("poison", "bareq", "purge", "--yes"), NO_ADMINISTRATION);
        expected.forEach((args, line) -> {
            Cli.Result r = cli.run(args.toArray(String[]::new));

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errorLine()).as(args.toString()).isEqualTo(line);
            assertThat(r.out()).isEmpty();
        });
    }

    @Test
    void publishingAndConsumingNeedOnlyTheBrokerApi() {
        assertThat(cli.run("publish", "bare-topic", "{\"say\":\"plain\"}", "--type", "Message").exitCode()).isZero();

        Cli.Result got = cli.run("subscribe", "bare-topic", "--count", "1", "--timeout", "5s", "--type", "Message", "-o", "json");

        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(got.lines().get(0).getAsJsonObject("body").get("say").getAsString()).isEqualTo("plain");
    }
}
