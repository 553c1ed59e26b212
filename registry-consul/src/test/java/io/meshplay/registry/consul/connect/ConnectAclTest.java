package io.meshplay.registry.consul.connect;

import static io.meshplay.registry.consul.connect.ConnectTestSupport.aclToken;
import static io.meshplay.registry.consul.connect.ConnectTestSupport.config;
import static io.meshplay.registry.consul.connect.ConnectTestSupport.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;

import io.meshplay.security.PeerIdentity;
import io.meshplay.security.Side;
import io.meshplay.testing.consul.ConsulAcl;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An agent with ACLs on and default deny: the leaf needs service:write, and the errors say so without the token. */
@ExtendWith(ConsulExtension.class)
@ConsulAcl
class ConnectAclTest {

    private static final Duration READY = Duration.ofSeconds(15);
    private static final Duration NOT_READY = Duration.ofSeconds(2);
    private static final String LACKS = "the ACL token lacks service:write on 'example', needed for its Connect certificate";

    @Test
    void withoutATokenTheLeafIsRefusedAndTheErrorSaysWhy(ConsulAgent consul) throws Exception {
        try (LogCapture log = new LogCapture();
             ConnectSecurity server = open(config(consul), Side.SERVER, "example")) {
            assertThat(server.awaitReady(NOT_READY)).isFalse();
            await().atMost(READY).until(() -> server.problem().isPresent());
            assertThat(server.problem().orElseThrow()).isEqualTo(LACKS
                    + " (no ACL token is configured: set registry.consul.token or CONSUL_HTTP_TOKEN)");
            await().atMost(READY).until(() -> log.count(LACKS) == 1);
            assertThat(log.lines()).filteredOn(l -> l.contains(LACKS)).allMatch(l -> l.startsWith("SEVERE"));
        }
    }

    @Test
    void aTokenWithoutServiceWriteIsToldWhichPermissionIsMissing(ConsulAgent consul) throws Exception {
        String reader = aclToken(consul, "example-read", "service \"example\" { policy = \"read\" }");
        try (LogCapture log = new LogCapture();
             ConnectSecurity server = open(config(consul, "registry.consul.token", reader), Side.SERVER, "example")) {
            assertThat(server.awaitReady(NOT_READY)).isFalse();
            await().atMost(READY).until(() -> server.problem().isPresent());
            assertThat(server.problem().orElseThrow()).isEqualTo(LACKS);
            // retried with backoff: still one line
            await().atMost(READY).until(() -> server.failedAttempts() >= 3);
            assertThat(log.count(LACKS)).isEqualTo(1);
            assertThat(log.lines()).noneMatch(l -> l.contains(reader));
            assertThat(server.toString()).doesNotContain(reader);
        }
    }

    @Test
    void anUnknownTokenIsSaidToBeUnknown(ConsulAgent consul) throws Exception {
        String unknown = "00000000-1111-2222-3333-444444444444";
        try (LogCapture log = new LogCapture();
             ConnectSecurity server = open(config(consul, "registry.consul.token", unknown), Side.SERVER, "example")) {
            assertThat(server.awaitReady(NOT_READY)).isFalse();
            await().atMost(READY).until(() -> server.problem().isPresent());
            assertThat(server.problem().orElseThrow()).contains("does not know the ACL token", "ACL not found")
                    .doesNotContain(unknown);
            assertThat(log.lines()).noneMatch(l -> l.contains(unknown));
        }
    }

    @Test
    void withServiceWriteItWorksAndDefaultDenyHoldsUntilAnIntentionAllows(ConsulAgent consul) throws Exception {
        String serverToken = aclToken(consul, "example-write", "service \"example\" { policy = \"write\" }");
        String clientToken = aclToken(consul, "pingpong-write", "service \"client-pingpong\" { policy = \"write\" }");
        try (LogCapture log = new LogCapture();
             ConnectSecurity server = open(config(consul, "registry.consul.token", serverToken), Side.SERVER, "example");
             ConnectSecurity client = open(config(consul, "registry.consul.token", clientToken), Side.CLIENT, "client-pingpong")) {
            assertThat(server.awaitReady(READY)).isTrue();
            assertThat(client.awaitReady(READY)).isTrue();
            assertThat(server.problem()).isEmpty();
            ConnectTestSupport.handshake(client, server);

            Optional<PeerIdentity> caller = Optional.of(server.identityOf(client.leaf().orElseThrow()));
            IntentionAuthorizer authorizer = (IntentionAuthorizer) server.authorizer();
            // default deny, no intention: denied, and cached (the token may read example's intentions)
            await().atMost(READY).until(() -> !authorizer.authorize(caller, "example").allowed() && authorizer.cached() == 1);
            assertThat(authorizer.authorize(caller, "example").reason()).startsWith("intentions deny client-pingpong -> example");

            ConnectTestSupport.intention(consul, "client-pingpong", "example", "allow", consul.managementToken());
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> authorizer.authorize(caller, "example").allowed());
            assertThat(log.lines()).noneMatch(l -> l.contains(serverToken) || l.contains(clientToken));
        }
    }
}
