package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;

import io.meshplay.registry.Intention;
import io.meshplay.registry.IntentionAdministration;
import io.meshplay.registry.RegistryException;
import io.meshplay.testing.consul.ConsulAcl;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Intentions on an agent with ACLs on and default deny: the management token may do everything; without a
 * token, or with one that may only read, the refusal says which permission is missing and never shows a token.
 */
@ExtendWith(ConsulExtension.class)
@ConsulAcl
class ConsulIntentionsAclTest {

    @Test
    void theManagementTokenMayWriteAndReadIntentions(ConsulAgent consul) {
        try (ConsulRegistry registry = TestConfigs.create(consul, "token", consul.managementToken())) {
            IntentionAdministration intentions = registry.intentions().orElseThrow();
            intentions.allow("frontend", "backend");
            assertThat(intentions.deny("frontend", "backend").action()).isEqualTo(Intention.Action.DENY);
            assertThat(ConsulIntentionsTest.only(consul, "frontend", "backend").path("Action").asText()).isEqualTo("deny");
            assertThat(intentions.list()).extracting(Intention::toString).contains("frontend -> backend (deny)");
            assertThat(intentions.delete("frontend", "backend")).isTrue();
            assertThat(intentions.hidingNote()).hasValueSatisfying(note -> assertThat(note).contains("has ACLs enabled")
                    .doesNotContain(consul.managementToken()));
        }
    }

    @Test
    void withoutATokenWritingIsDeniedNamingThePermission(ConsulAgent consul) {
        try (ConsulRegistry registry = TestConfigs.create(consul)) {
            IntentionAdministration intentions = registry.intentions().orElseThrow();
            assertThatThrownBy(() -> intentions.allow("frontend", "backend"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("Consul at " + consul.httpAddress() + " denied allow frontend -> backend: no ACL "
                            + "token is configured (set registry.consul.token or CONSUL_HTTP_TOKEN); it needs intentions:write "
                            + "on service 'backend' (service \"backend\" { intentions = \"write\" })");
            assertThatThrownBy(() -> intentions.delete("frontend", "*"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("it needs intentions:write on every service (service_prefix \"\" { intentions = \"write\" })");
            // reading is not refused but filtered, which the note explains
            assertThat(intentions.list()).isEmpty();
            assertThat(intentions.hidingNote()).hasValueSatisfying(note -> assertThat(note)
                    .contains("has ACLs enabled and no ACL token is configured", "registry.consul.token"));
        }
        assertThat(ConsulHttp.intentions(consul)).noneMatch(i -> i.path("SourceName").asText().equals("frontend"));
    }

    @Test
    void aTokenThatMayOnlyReadIsToldItLacksWrite(ConsulAgent consul) {
        String reader = ConsulHttp.tokenWith(consul, "backend-intentions-read",
                "service \"backend\" { policy = \"read\" intentions = \"read\" }");
        ConsulHttp.send(consul, "POST", "/v1/connect/intentions",
                "{\"SourceName\": \"ops\", \"DestinationName\": \"backend\", \"SourceType\": \"consul\", \"Action\": \"allow\"}");
        try (ConsulRegistry registry = TestConfigs.create(consul, "token", reader)) {
            IntentionAdministration intentions = registry.intentions().orElseThrow();
            assertThat(intentions.find("ops", "backend")).map(Intention::action).hasValue(Intention.Action.ALLOW);

            assertThatThrownBy(() -> intentions.deny("ops", "backend"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("Consul at " + consul.httpAddress() + " rejected the ACL token for deny ops -> backend: "
                            + "permission denied, the token lacks intentions:write on service 'backend' "
                            + "(service \"backend\" { intentions = \"write\" })")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain(reader).doesNotContain(consul.managementToken()));
        }
        assertThat(ConsulIntentionsTest.only(consul, "ops", "backend").path("Action").asText()).as("unchanged").isEqualTo("allow");
    }

    private static String stackText(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
