package io.meshplay.registry.consul.connect;

import static io.meshplay.registry.consul.connect.ConnectTestSupport.config;
import static io.meshplay.registry.consul.connect.ConnectTestSupport.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

import io.meshplay.security.Side;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A CA root rotation ({@code PUT /v1/connect/ca/configuration} with a new key) followed by the same managers. */
@ExtendWith(ConsulExtension.class)
class ConnectRotationTest {

    private static final Duration READY = Duration.ofSeconds(15);
    /** Consul re-signs leaves after a root change with up to 30 s of jitter (1.8's caChangeJitterWindow). */
    private static final Duration NEW_LEAF = Duration.ofSeconds(75);

    @Test
    void aRootRotationIsPickedUpWithoutReopening(ConsulAgent consul) throws Exception {
        try (ConnectSecurity server = open(config(consul), Side.SERVER, "example");
             ConnectSecurity client = open(config(consul), Side.CLIENT, "client-pingpong")) {
            assertThat(server.awaitReady(READY)).isTrue();
            assertThat(client.awaitReady(READY)).isTrue();
            // built once, before the rotation: what a running server and channel hold
            SSLContext serverContext = ConnectTestSupport.context(server);
            SSLContext clientContext = ConnectTestSupport.context(client);
            ConnectTestSupport.handshake(clientContext, serverContext);
            List<X509Certificate> oldRoots = server.credentials().roots();
            X509Certificate oldServerLeaf = server.leaf().orElseThrow();
            X509Certificate oldClientLeaf = client.leaf().orElseThrow();

            String body = ConnectTestSupport.JSON.createObjectNode().put("Provider", "consul")
                    .set("Config", ConnectTestSupport.JSON.createObjectNode()
                            .put("PrivateKey", ConnectTestSupport.newSec1EcKeyPem())
                            .put("LeafCertTTL", "72h").put("RotationPeriod", "2160h").put("IntermediateCertTTL", "8760h"))
                    .toString();
            var put = ConnectTestSupport.call(consul, "PUT", "/v1/connect/ca/configuration", body, null);
            assertThat(put.statusCode()).as("PUT /v1/connect/ca/configuration: %s", put.body()).isEqualTo(200);
            long rotated = System.nanoTime();

            // the new root joins the old one in both trust managers
            await().atMost(Duration.ofSeconds(10)).until(() -> server.credentials().roots().size() == oldRoots.size() + 1
                    && client.credentials().roots().size() == oldRoots.size() + 1);
            X509Certificate newRoot = server.credentials().roots().stream().filter(r -> !oldRoots.contains(r)).findFirst().orElseThrow();
            assertThat(server.trustManager().getAcceptedIssuers()).contains(newRoot);

            // both leaves are re-issued under the new root and land in the same key managers
            await().atMost(NEW_LEAF).pollInterval(Duration.ofMillis(200)).until(() ->
                    !server.leaf().orElseThrow().equals(oldServerLeaf) && !client.leaf().orElseThrow().equals(oldClientLeaf));
            long reissuedMs = (System.nanoTime() - rotated) / 1_000_000;
            X509Certificate newServerLeaf = server.leaf().orElseThrow();
            newServerLeaf.verify(newRoot.getPublicKey());
            assertThat(server.keyManager().getCertificateChain("default")[0]).isEqualTo(newServerLeaf);

            SSLSession[] sessions = ConnectTestSupport.handshake(clientContext, serverContext);
            assertThat(sessions[0].getPeerCertificates()[0]).isEqualTo(newServerLeaf);
            assertThat(sessions[1].getPeerCertificates()[0]).isEqualTo(client.leaf().orElseThrow());
            client.verifyServer("example", new X509Certificate[] {newServerLeaf});
            System.out.println("connect: both leaves re-issued " + reissuedMs + " ms after the root rotation");
        }
    }
}
