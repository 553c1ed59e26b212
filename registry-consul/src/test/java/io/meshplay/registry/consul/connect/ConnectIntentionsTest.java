package io.meshplay.registry.consul.connect;

import static io.meshplay.registry.consul.connect.ConnectTestSupport.config;
import static io.meshplay.registry.consul.connect.ConnectTestSupport.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

import io.meshplay.security.Authorization;
import io.meshplay.security.CallAuthorizer;
import io.meshplay.security.PeerIdentity;
import io.meshplay.security.Side;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Calls authorized against a real agent's intentions; a flip is seen within 2 s through the cache. */
@ExtendWith(ConsulExtension.class)
class ConnectIntentionsTest {

    private static final Duration READY = Duration.ofSeconds(15);
    private static final Duration FLIP = Duration.ofSeconds(2);

    @Test
    void anIntentionFlipTakesEffectWithinTwoSeconds(ConsulAgent consul) throws Exception {
        try (ConnectSecurity server = open(config(consul), Side.SERVER, "example");
             ConnectSecurity client = open(config(consul), Side.CLIENT, "client-pingpong")) {
            assertThat(server.awaitReady(READY)).isTrue();
            assertThat(client.awaitReady(READY)).isTrue();
            Optional<PeerIdentity> caller = Optional.of(server.identityOf(client.leaf().orElseThrow()));
            IntentionAuthorizer authorizer = (IntentionAuthorizer) server.authorizer();

            // no intention, no ACLs: Consul allows; once the intentions watch has answered, the answer is cached
            await().atMost(READY).until(() -> authorizer.authorize(caller, "example").allowed() && authorizer.cached() == 1);
            Authorization allowed = authorizer.authorize(caller, "example");
            assertThat(allowed.reason()).startsWith("intentions allow client-pingpong -> example");

            String id = ConnectTestSupport.intention(consul, "client-pingpong", "example", "deny", null);
            long flipped = System.nanoTime();
            await().atMost(FLIP).pollInterval(Duration.ofMillis(20)).until(() -> !authorizer.authorize(caller, "example").allowed());
            long denyMs = (System.nanoTime() - flipped) / 1_000_000;
            Authorization denied = authorizer.authorize(caller, "example");
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.reason()).startsWith("intentions deny client-pingpong -> example").contains("DENY");

            ConnectTestSupport.updateIntention(consul, id, "client-pingpong", "example", "allow", null);
            flipped = System.nanoTime();
            await().atMost(FLIP).pollInterval(Duration.ofMillis(20)).until(() -> authorizer.authorize(caller, "example").allowed());
            long allowMs = (System.nanoTime() - flipped) / 1_000_000;
            System.out.println("connect: intention flip seen after " + denyMs + " ms (deny) and " + allowMs + " ms (allow)");

            // another caller is its own cache entry, and denied by its own intention
            ConnectTestSupport.intention(consul, "client-stream", "example", "deny", null);
            try (ConnectSecurity stream = open(config(consul), Side.CLIENT, "client-stream")) {
                assertThat(stream.awaitReady(READY)).isTrue();
                Optional<PeerIdentity> other = Optional.of(server.identityOf(stream.leaf().orElseThrow()));
                await().atMost(FLIP).until(() -> !authorizer.authorize(other, "example").allowed());
                assertThat(authorizer.authorize(caller, "example").allowed()).isTrue();
            }
        }
    }

    @Test
    void plaintextCallersAreAllowedOnlyWhenPermissive(ConsulAgent consul) throws Exception {
        try (ConnectSecurity strict = open(config(consul), Side.SERVER, "example");
             ConnectSecurity permissive = open(config(consul, "tls.connect.permissive", "true"), Side.SERVER, "example")) {
            assertThat(strict.permissive()).isFalse();
            assertThat(permissive.permissive()).isTrue();
            Authorization refused = strict.authorizer().authorize(Optional.empty(), "example");
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.reason()).contains("unauthenticated caller", "tls.connect.permissive is off");
            Authorization let = permissive.authorizer().authorize(Optional.empty(), "example");
            assertThat(let.allowed()).isTrue();
            assertThat(let.reason()).isEqualTo("permissive: unauthenticated caller");
        }
    }

    @Test
    void aCallerWithoutAConnectIdentityIsDenied(ConsulAgent consul) throws Exception {
        try (ConnectSecurity server = open(config(consul), Side.SERVER, "example")) {
            assertThat(server.awaitReady(READY)).isTrue();
            X509Certificate any = server.leaf().orElseThrow();
            Authorization denied = server.authorizer().authorize(
                    Optional.of(new PeerIdentity("CN=someone", Optional.empty(), any)), "example");
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.reason()).contains("CN=someone", "no Connect service identity", "'example'");
        }
    }

    @Test
    void aClientSideHasNoAuthorizer(ConsulAgent consul) {
        try (ConnectSecurity client = open(config(consul), Side.CLIENT, "client-pingpong")) {
            assertThat(client.authorizer()).isSameAs(CallAuthorizer.ALLOW_ALL);
        }
    }
}
