package io.meshplay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code call} and {@code health} under {@code tls.mode: connect}: the CLI calls as {@code meshplay-cli} with
 * its own leaf from the agent. {@code health} is not authorized, so it answers even when an intention
 * denies the CLI; {@code call} is then refused with the server's PERMISSION_DENIED sentence and exit 1.
 */
@ExtendWith(ConsulExtension.class)
class ConnectCommandsTest {

    @Test
    void healthWorksAndCallIsDeniedByAnIntention(ConsulAgent consul) {
        // no ACL token from the environment of whoever runs the tests
        try (MeshFixture mesh = new MeshFixture(consul, Map.of("tls.mode", "connect", "registry.consul.token", ""))) {
            MeshplayServer server = mesh.startServer("example", "1.0.0");
            await().atMost(Duration.ofSeconds(20)).until(server::securityReady);
            Cli cli = mesh.cli();
            Cli.Result health = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> cli.run("health", "example", "-o", "json"), r -> r.exitCode() == ExitCodes.OK);
            assertThat(health.array().get(0).getAsJsonObject().get("status").getAsString()).isEqualTo("SERVING");

            // resolution waits for Consul's check to pass, which health (straight to the instance) does not
            Cli.Result call = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> cli.run("call", "example", "Example/Call", "{\"name\":\"Connect\"}", "-o", "json"),
                            r -> r.exitCode() == ExitCodes.OK);
            assertThat(call.lines().get(0).get("msg").getAsString()).isEqualTo("Hello Connect");

            Cli.Result deny = cli.run("intentions", "deny", "meshplay-cli", "example");
            assertThat(deny.exitCode()).as(deny.toString()).isEqualTo(ExitCodes.OK);
            try {
                Cli.Result denied = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> cli.run("call", "example", "Example/Call", "{\"name\":\"Denied\"}"),
                                r -> r.exitCode() != ExitCodes.OK);
                assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(ExitCodes.FAILED);
                assertThat(denied.errorLine()).as(denied.toString())
                        .startsWith("meshplay: call Example/Call on 'example' failed: PERMISSION_DENIED: meshplay-cli may not call example");
                assertThat(denied.err()).as("reflection's denial is the call's denial: no fallback warning")
                        .doesNotContain("server reflection failed");
                System.out.println("cli call while denied: " + denied.errorLine());

                Cli.Result stillHealthy = cli.run("health", "example", "-o", "json");
                assertThat(stillHealthy.exitCode()).as(stillHealthy.toString()).isEqualTo(ExitCodes.OK);
                assertThat(stillHealthy.array().get(0).getAsJsonObject().get("status").getAsString()).isEqualTo("SERVING");
            } finally {
                cli.run("intentions", "delete", "meshplay-cli", "example");
            }
        }
    }
}
