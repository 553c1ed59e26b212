package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshplay.registry.Intention;
import io.meshplay.registry.IntentionAdministration;
import io.meshplay.registry.RegistryException;
import io.meshplay.testing.Ports;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry's intentions against a real agent, checked in what Consul itself holds: one intention per
 * pair, changed in place (same ID on 1.8), wildcards, and intentions written by someone else.
 */
@ExtendWith(ConsulExtension.class)
class ConsulIntentionsTest {

    @Test
    void allowThenDenyChangesTheOneIntentionConsulHolds(ConsulAgent consul) {
        try (ConsulRegistry registry = TestConfigs.create(consul)) {
            IntentionAdministration intentions = registry.intentions().orElseThrow();

            Intention allowed = intentions.put("web", "db", Intention.Action.ALLOW, "web reads db");
            JsonNode held = only(consul, "web", "db");
            assertThat(held.path("Action").asText()).isEqualTo("allow");
            assertThat(held.path("Description").asText()).isEqualTo("web reads db");

            Intention denied = intentions.deny("web", "db");
            JsonNode changed = only(consul, "web", "db");
            assertThat(changed.path("Action").asText()).isEqualTo("deny");
            assertThat(changed.path("Description").asText()).as("kept").isEqualTo("web reads db");
            assertThat(denied.action()).isEqualTo(Intention.Action.DENY);
            assertThat(denied.id()).isEqualTo(allowed.id());
            if (consul.version().startsWith("1.8")) {
                // Consul 1.8 gives every intention an ID and times; 1.9+ gives none to those written by pair
                assertThat(denied.id()).hasValue(changed.path("ID").asText());
                assertThat(denied.createdAt()).isPresent();
                assertThat(denied.updatedAt().orElseThrow()).isAfterOrEqualTo(allowed.updatedAt().orElseThrow());
            }
            assertThat(intentions.list()).filteredOn(i -> i.samePair("web", "db")).containsExactly(denied);

            assertThat(intentions.delete("web", "db")).isTrue();
            assertThat(intentions.delete("web", "db")).isFalse();
            assertThat(ConsulHttp.intentions(consul)).noneMatch(i -> i.path("SourceName").asText().equals("web"));
        }
    }

    @Test
    void wildcardsAreNamesOfTheirOwnAndListedAfterMoreSpecificOnes(ConsulAgent consul) {
        try (ConsulRegistry registry = TestConfigs.create(consul)) {
            IntentionAdministration intentions = registry.intentions().orElseThrow();
            intentions.deny("*", "*");
            intentions.allow("*", "orders");
            intentions.deny("billing", "*");
            intentions.allow("billing", "orders");

            List<Intention> all = intentions.list();
            assertThat(all).extracting(Intention::toString).containsSubsequence("billing -> orders (allow)",
                    "* -> orders (allow)", "billing -> * (deny)", "* -> * (deny)");
            assertThat(all).extracting(Intention::precedence).containsSubsequence(9, 8, 6, 5);
            assertThat(intentions.find("*", "orders")).map(Intention::action).hasValue(Intention.Action.ALLOW);
            assertThat(intentions.find("shipping", "orders")).as("a wildcard is not found for a name").isEmpty();

            for (String[] pair : new String[][] {{"*", "*"}, {"*", "orders"}, {"billing", "*"}, {"billing", "orders"}}) {
                assertThat(intentions.delete(pair[0], pair[1])).as(String.join(" -> ", pair)).isTrue();
            }
            assertThat(ConsulHttp.intentions(consul)).noneMatch(i -> i.path("DestinationName").asText().equals("orders"));
        }
    }

    @Test
    void anIntentionWrittenElsewhereIsChangedNotDuplicatedAndKeepsItsMeta(ConsulAgent consul) {
        ConsulHttp.send(consul, "POST", "/v1/connect/intentions", """
                {"SourceName": "ui", "DestinationName": "api", "SourceType": "consul", "Action": "deny",
                 "Description": "from the UI", "Meta": {"owner": "ops"}}""");
        try (ConsulRegistry registry = TestConfigs.create(consul)) {
            IntentionAdministration intentions = registry.intentions().orElseThrow();
            assertThat(intentions.find("ui", "api")).map(Intention::description).hasValue("from the UI");

            Intention allowed = intentions.put("ui", "api", Intention.Action.ALLOW, "opened by meshplay");

            JsonNode held = only(consul, "ui", "api");
            assertThat(held.path("Action").asText()).isEqualTo("allow");
            assertThat(held.path("Description").asText()).isEqualTo("opened by meshplay");
            if (consul.version().startsWith("1.8")) {
                assertThat(held.path("Meta").path("owner").asText()).as("meta kept on a 1.8 update").isEqualTo("ops");
            }
            assertThat(allowed.description()).isEqualTo("opened by meshplay");
            assertThat(intentions.delete("ui", "api")).isTrue();
        }
    }

    @Test
    void anUnreachableAgentIsNamedWithItsConfigKey(ConsulAgent consul) {
        int nothing = Ports.free();
        try (ConsulRegistry registry = TestConfigs.create(consul, "address", "http://127.0.0.1:" + nothing)) {
            IntentionAdministration intentions = registry.intentions().orElseThrow();
            assertThatThrownBy(intentions::list).isInstanceOf(RegistryException.class)
                    .hasMessage("cannot reach Consul at http://127.0.0.1:" + nothing + " (registry.consul.address) to list "
                            + "intentions: connection refused (is the agent running there?)");
            assertThatThrownBy(() -> intentions.allow("web", "db")).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("(registry.consul.address) to allow web -> db: connection refused");
        }
    }

    @Test
    void aClosedRegistryRefusesItsIntentions(ConsulAgent consul) {
        ConsulRegistry registry = TestConfigs.create(consul);
        IntentionAdministration intentions = registry.intentions().orElseThrow();
        assertThat(intentions.description()).isEqualTo("Consul at " + consul.httpAddress());
        registry.close();
        assertThatThrownBy(intentions::list).isInstanceOf(RegistryException.class).hasMessageContaining("is closed");
    }

    /** The one intention Consul holds for the pair; fails when there are none or several. */
    static JsonNode only(ConsulAgent consul, String source, String destination) {
        List<JsonNode> matching = ConsulHttp.intentions(consul).stream()
                .filter(i -> i.path("SourceName").asText().equals(source) && i.path("DestinationName").asText().equals(destination))
                .toList();
        assertThat(matching).as(source + " -> " + destination + " in Consul").hasSize(1);
        return matching.getFirst();
    }
}
