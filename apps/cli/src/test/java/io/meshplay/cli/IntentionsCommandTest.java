package io.meshplay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code meshplay intentions} against a real Consul: what it writes is what Consul's own API then shows,
 * and bad names never reach Consul. Each test uses its own service names (one agent per class).
 */
@ExtendWith(ConsulExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntentionsCommandTest {

    private ConsulAgent consul;
    private Cli cli;

    @BeforeAll
    void start(ConsulAgent agent) {
        consul = agent;
        cli = new MeshFixture(agent).cli();
    }

    @Test
    void listIsEmptyAtFirstThenShowsWhatAllowWrote() {
        Cli.Result empty = cli.run("intentions", "list", "-o", "json");
        assertThat(empty.exitCode()).as(empty.toString()).isZero();
        assertThat(empty.array()).isEmpty();
        assertThat(empty.err()).as("no ACLs: nothing hides intentions").isEmpty();
        Cli.Result emptyTable = cli.run("intentions", "list");
        assertThat(emptyTable.out().strip()).isEqualTo("SOURCE  DESTINATION  ACTION  DESCRIPTION");

        Cli.Result allow = cli.run("intentions", "allow", "client-pingpong", "example", "--description", "the demo's client");
        assertThat(allow.exitCode()).as(allow.toString()).isZero();
        assertThat(allow.out()).contains("action       allow", "source       client-pingpong");

        Cli.Result list = cli.run("intentions", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out().lines()).anySatisfy(line -> assertThat(line.split("\\s+"))
                .containsExactly("client-pingpong", "example", "allow", "the", "demo's", "client"));
        assertThat(consulActions("client-pingpong", "example")).containsExactly("allow");

        assertThat(cli.run("intentions", "delete", "client-pingpong", "example").exitCode()).isZero();
    }

    @Test
    void denyFlipsTheSamePairAndDeleteRemovesIt() {
        Cli.Result allow = cli.run("intentions", "allow", "flip-a", "flip-b", "-o", "json");
        assertThat(allow.exitCode()).as(allow.toString()).isZero();
        JsonObject allowed = allow.object();
        assertThat(allowed.get("action").getAsString()).isEqualTo("allow");
        assertThat(allowed.get("precedence").getAsInt()).isEqualTo(9);

        Cli.Result deny = cli.run("intentions", "deny", "flip-a", "flip-b", "-o", "json");
        assertThat(deny.exitCode()).as(deny.toString()).isZero();
        assertThat(deny.object().get("action").getAsString()).isEqualTo("deny");
        assertThat(deny.object().get("id")).as("the same intention, changed").isEqualTo(allowed.get("id"));
        assertThat(consulActions("flip-a", "flip-b")).as("one intention for the pair").containsExactly("deny");
        Cli.Result again = cli.run("intentions", "deny", "flip-a", "flip-b");
        assertThat(again.exitCode()).as("idempotent").isZero();
        assertThat(consulActions("flip-a", "flip-b")).containsExactly("deny");

        Cli.Result delete = cli.run("intentions", "delete", "flip-a", "flip-b", "-o", "json");
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(delete.object().get("deleted").getAsString()).isEqualTo("flip-a -> flip-b");
        assertThat(consulActions("flip-a", "flip-b")).isEmpty();
    }

    @Test
    void deletingWhatIsNotThereIsNotFound() {
        Cli.Result r = cli.run("intentions", "delete", "nobody", "nowhere");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.errorLine()).isEqualTo("meshplay: no intention nobody -> nowhere in Consul at " + consul.httpAddress());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aStarStandsForEveryServiceOnEitherSide() {
        assertThat(cli.run("intentions", "deny", "*", "*").exitCode()).isZero();
        assertThat(cli.run("intentions", "allow", "*", "star-db").exitCode()).isZero();
        Cli.Result list = cli.run("intentions", "list", "-o", "json");
        List<String> pairs = list.array().asList().stream().map(JsonElement::getAsJsonObject)
                .map(o -> o.get("source").getAsString() + " -> " + o.get("destination").getAsString()).toList();
        assertThat(pairs).containsSubsequence("* -> star-db", "* -> *");
        assertThat(consulActions("*", "*")).containsExactly("deny");
        assertThat(cli.run("intentions", "delete", "*", "*").exitCode()).isZero();
        assertThat(cli.run("intentions", "delete", "*", "star-db").exitCode()).isZero();
    }

    @Test
    void badNamesAreUsageErrorsBeforeAnyRequest() {
        record Case(List<String> args, String line) {
        }
        for (Case c : List.of(
                new Case(List.of("allow", "a b", "db"), "meshplay: source service name 'a b' is not valid: whitespace at position 1"),
                new Case(List.of("deny", "web", "db/x"), "meshplay: destination service name 'db/x' is not valid: '/' at position 2"),
                new Case(List.of("allow", "web*", "db"), "meshplay: source 'web*' is not valid: '*' stands only alone, for every service"),
                new Case(List.of("delete", "web", ""), "meshplay: destination service name '' is not valid: it is empty"))) {
            List<String> args = new java.util.ArrayList<>(List.of("intentions"));
            args.addAll(c.args());
            Cli.Result r = cli.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errorLine()).as(c.args().toString()).startsWith(c.line());
            assertThat(r.out()).isEmpty();
        }
        Cli.Result missing = cli.run("intentions", "allow", "web");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.errorLine()).contains("Missing required parameter: '<destination>'", "meshplay intentions allow --help");
        Cli.Result noAction = cli.run("intentions");
        assertThat(noAction.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noAction.err()).contains("Usage: meshplay intentions", "allow", "deny", "delete", "list");
        assertThat(consulPairs()).noneMatch(p -> p.contains("a b") || p.contains("web*"));
    }

    @Test
    void helpListsTheActionsAndEndsWithTheExitCodes() {
        Cli.Result help = cli.run("intentions", "allow", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: meshplay intentions allow", "<source>", "<destination>", "--description",
                "Exit codes:", "not found");
        assertThat(cli.run("--help").out()).contains("intentions");
    }

    private List<String> consulActions(String source, String destination) {
        return consulIntentions().stream()
                .filter(o -> o.get("SourceName").getAsString().equals(source) && o.get("DestinationName").getAsString().equals(destination))
                .map(o -> o.get("Action").getAsString()).toList();
    }

    private List<String> consulPairs() {
        return consulIntentions().stream().map(o -> o.get("SourceName").getAsString() + " -> " + o.get("DestinationName").getAsString())
                .toList();
    }

    private List<JsonObject> consulIntentions() {
        return com.google.gson.JsonParser.parseString(consul.get("/v1/connect/intentions")).getAsJsonArray().asList().stream()
                .map(JsonElement::getAsJsonObject).toList();
    }
}
