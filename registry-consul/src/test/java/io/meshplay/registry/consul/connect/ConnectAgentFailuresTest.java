package io.meshplay.registry.consul.connect;

import static io.meshplay.registry.consul.connect.ConnectTestSupport.config;
import static io.meshplay.registry.consul.connect.ConnectTestSupport.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.meshplay.security.Side;
import io.meshplay.testing.consul.ConsulAgent;
import org.junit.jupiter.api.Test;

/** An agent without Connect, and an agent that goes away and comes back. */
class ConnectAgentFailuresTest {

    private static final Duration READY = Duration.ofSeconds(15);

    @Test
    void anAgentWithoutConnectIsNamed() throws Exception {
        try (ConsulAgent consul = ConsulAgent.start(false, "connect { enabled = false }");
             LogCapture log = new LogCapture();
             ConnectSecurity server = open(config(consul), Side.SERVER, "example")) {
            assertThat(server.awaitReady(Duration.ofSeconds(2))).isFalse();
            await().atMost(READY).until(() -> server.problem().isPresent());
            assertThat(server.problem().orElseThrow())
                    .startsWith("Connect is not enabled on the Consul agent at " + consul.httpAddress())
                    .contains("connect { enabled = true }");
            assertThat(log.lines()).anyMatch(l -> l.startsWith("SEVERE") && l.contains("Connect is not enabled on the Consul agent at"));
        }
    }

    @Test
    void anOutageIsLoggedOnceAndTheLeafComesBackAfterIt() throws Exception {
        try (ConsulAgent consul = ConsulAgent.start(false);
             LogCapture log = new LogCapture();
             ConnectSecurity server = open(config(consul), Side.SERVER, "example")) {
            assertThat(server.awaitReady(READY)).isTrue();
            String before = server.credentials().trustDomain().orElseThrow();
            consul.killProcess();
            await().atMost(READY).until(() -> server.problem().filter(p -> p.contains("unreachable")).isPresent());
            // backoff up to 1 s: several failed attempts, one line per watch
            await().atMost(READY).until(() -> server.failedAttempts() >= 6);
            assertThat(log.count("connect: watch of the Connect CA roots at " + consul.httpAddress() + " failed")).isEqualTo(1);
            assertThat(log.count("connect: watch of the Connect certificate of 'example' at " + consul.httpAddress() + " failed"))
                    .isEqualTo(1);
            // what was loaded is still presented meanwhile
            assertThat(server.keyManager().getCertificateChain("default")).isNotEmpty();

            // a restarted dev agent has a new CA (and trust domain): both are followed
            consul.restart();
            await().atMost(READY).until(() -> server.problem().isEmpty()
                    && !server.credentials().trustDomain().orElseThrow().equals(before)
                    && SpiffeId.of(server.leaf().orElseThrow()).orElseThrow().inTrustDomain(server.credentials().trustDomain().get()));
            assertThat(log.count("connect: watch of the Connect CA roots at " + consul.httpAddress() + " works again")).isEqualTo(1);
        }
    }
}
