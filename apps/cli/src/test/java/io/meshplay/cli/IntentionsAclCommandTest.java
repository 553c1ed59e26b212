package io.meshplay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.meshplay.testing.consul.ConsulAcl;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code meshplay intentions} on a Consul with ACLs on and default deny: with the token, and without. */
@ExtendWith(ConsulExtension.class)
@ConsulAcl
class IntentionsAclCommandTest {

    @Test
    void theManagementTokenMayChangeIntentions(ConsulAgent consul) {
        String token = consul.managementToken();
        Cli cli = new MeshFixture(consul, Map.of("registry.consul.token", token)).cli();

        Cli.Result deny = cli.run("intentions", "deny", "acl-web", "acl-db");
        assertThat(deny.exitCode()).as(deny.toString()).isZero();
        Cli.Result list = cli.run("intentions", "list", "-o", "json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.array()).anySatisfy(i -> assertThat(i.getAsJsonObject().get("action").getAsString()).isEqualTo("deny"));
        assertThat(cli.run("intentions", "delete", "acl-web", "acl-db").exitCode()).isZero();
        assertThat(deny.out() + deny.err() + list.out() + list.err()).doesNotContain(token);
    }

    @Test
    void withoutATokenChangesAreRefusedNamingThePermissionAndTheListExplainsItsSilence(ConsulAgent consul) {
        Cli cli = new MeshFixture(consul).cli();

        Cli.Result allow = cli.run("intentions", "allow", "acl-web", "acl-db");
        assertThat(allow.exitCode()).as(allow.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(allow.errorLine()).startsWith("meshplay: Consul at " + consul.httpAddress() + " denied allow acl-web -> acl-db: "
                + "no ACL token is configured (set registry.consul.token or CONSUL_HTTP_TOKEN); it needs intentions:write on "
                + "service 'acl-db' (service \"acl-db\" { intentions = \"write\" })");
        assertThat(allow.out()).isEmpty();

        Cli.Result delete = cli.run("intentions", "delete", "acl-web", "acl-db");
        assertThat(delete.exitCode()).as("refused, not 'not found'").isEqualTo(ExitCodes.FAILED);
        assertThat(delete.errorLine()).contains("no ACL token is configured", "intentions:write on service 'acl-db'");

        Cli.Result list = cli.run("intentions", "list", "-o", "json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.array()).isEmpty();
        assertThat(list.err()).startsWith("meshplay: no intentions shown; Consul at " + consul.httpAddress()
                + " has ACLs enabled and no ACL token is configured");
        assertThat(consul.get("/v1/connect/intentions")).doesNotContain("acl-web");
    }
}
