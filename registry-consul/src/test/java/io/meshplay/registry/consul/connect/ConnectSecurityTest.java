package io.meshplay.registry.consul.connect;

import static io.meshplay.registry.consul.connect.ConnectTestSupport.config;
import static io.meshplay.registry.consul.connect.ConnectTestSupport.handshake;
import static io.meshplay.registry.consul.connect.ConnectTestSupport.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

import io.meshplay.security.PeerIdentity;
import io.meshplay.security.Side;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Leaf and roots from a real dev agent, presented and verified by the live managers in a real TLS handshake. */
@ExtendWith(ConsulExtension.class)
class ConnectSecurityTest {

    private static final Duration READY = Duration.ofSeconds(15);

    @Test
    void leafAndRootsLoadAndBothEndsVerifyEachOther(ConsulAgent consul) throws Exception {
        try (ConnectSecurity server = open(config(consul), Side.SERVER, "example");
             ConnectSecurity client = open(config(consul), Side.CLIENT, "client-pingpong")) {
            assertThat(server.awaitReady(READY)).isTrue();
            assertThat(client.awaitReady(READY)).isTrue();
            assertThat(server.mode()).isEqualTo("connect");
            assertThat(server.requireClientCertificate()).isTrue();
            assertThat(server.permissive()).isFalse();

            X509Certificate[] presented = server.keyManager().getCertificateChain("default");
            assertThat(presented).isNotEmpty();
            assertThat(SpiffeId.of(presented[0]).orElseThrow().service()).isEqualTo("example");
            assertThat(server.keyManager().getPrivateKey("default").getAlgorithm()).isEqualTo("EC");

            SSLSession[] sessions = handshake(client, server);
            X509Certificate serverLeaf = (X509Certificate) sessions[0].getPeerCertificates()[0];
            X509Certificate clientLeaf = (X509Certificate) sessions[1].getPeerCertificates()[0];
            // the client checks the server names the service it asked for, never the host name ("example.invalid")
            client.verifyServer("example", new X509Certificate[] {serverLeaf});
            PeerIdentity caller = server.identityOf(clientLeaf);
            assertThat(caller.service()).contains("client-pingpong");
            assertThat(caller.uri()).startsWith("spiffe://").endsWith("/svc/client-pingpong")
                    .contains(server.credentials().trustDomain().orElseThrow());
        }
    }

    @Test
    void aClientRefusesAServerCertificateForAnotherService(ConsulAgent consul) throws Exception {
        try (ConnectSecurity other = open(config(consul), Side.SERVER, "other");
             ConnectSecurity client = open(config(consul), Side.CLIENT, "client-pingpong")) {
            assertThat(other.awaitReady(READY)).isTrue();
            assertThat(client.awaitReady(READY)).isTrue();
            X509Certificate[] chain = other.keyManager().getCertificateChain("default");
            assertThatThrownBy(() -> client.verifyServer("example", chain))
                    .isInstanceOf(CertificateException.class)
                    .hasMessageStartingWith("expected a certificate for service 'example', got spiffe://")
                    .hasMessageEndingWith("/svc/other");
            client.verifyServer("other", chain);
        }
    }

    @Test
    void aSelfSignedClientIsRefusedByTheHandshake(ConsulAgent consul) throws Exception {
        // a second agent has its own CA: its leaves are not signed by this one's roots
        try (ConsulAgent stranger = ConsulAgent.start(false);
             ConnectSecurity server = open(config(consul), Side.SERVER, "example");
             ConnectSecurity foreign = open(config(stranger), Side.CLIENT, "client-pingpong")) {
            assertThat(server.awaitReady(READY)).isTrue();
            assertThat(foreign.awaitReady(READY)).isTrue();
            // the stranger trusts our roots, so only the server's check of its certificate can fail
            javax.net.ssl.SSLContext strangerWithOurRoots = javax.net.ssl.SSLContext.getInstance("TLS");
            strangerWithOurRoots.init(new javax.net.ssl.KeyManager[] {foreign.keyManager()},
                    new javax.net.ssl.TrustManager[] {server.trustManager()}, null);
            assertThatThrownBy(() -> handshake(strangerWithOurRoots, ConnectTestSupport.context(server)))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageStartingWith("server: ");
            // and the stranger refuses our server for the same reason
            assertThatThrownBy(() -> handshake(foreign, server))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageStartingWith("client: ");
        }
    }
}
