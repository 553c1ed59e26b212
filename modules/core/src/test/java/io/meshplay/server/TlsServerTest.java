package io.meshplay.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.meshplay.config.Startup;
import io.meshplay.config.StartupException;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.testing.TestCertificates;
import io.meshplay.security.TransportSecurity;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.meshplay.server.TlsFixture.DEADLINE;
import static io.meshplay.server.TlsFixture.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The netty transport under {@code tls.mode: files}: TLS, mutual TLS, who is refused and how it shows, permissive, authorization. */
class TlsServerTest {

    @RegisterExtension
    final Closer closer = new Closer();
    @TempDir
    Path dir;
    TlsFixture tls;

    @BeforeEach
    void certificates() {
        tls = new TlsFixture(dir, closer);
    }

    @Test
    void serverTlsAndMutualTlsCarryCallsAndTheInstanceSaysItsMode() {
        MeshplayServer serverOnly = tls.server(tls.serverFiles(false));
        assertThat(hello(tls.channel(serverOnly, tls.trustingClient(null)))).isEqualTo("hello tls");
        assertThat(serverOnly.instance().metadata()).containsEntry(InstanceMetadata.TLS_MODE, "files");
        assertThat(serverOnly.securityReady()).isTrue();

        MeshplayServer mutual = tls.server(tls.serverFiles(true));
        assertThat(TlsFixture.presented(tls.channel(mutual, tls.trustingClient(tls.client)))).isEqualTo("CN=example");
        ManagedChannel health = tls.channel(mutual, tls.trustingClient(tls.client));
        assertThat(HealthGrpc.newBlockingStub(health).withDeadlineAfter(DEADLINE).check(HealthCheckRequest.getDefaultInstance())
                .getStatus()).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void aSelfSignedClientIsRefusedInTheHandshakeAndLoggedOncePerPeer() throws Exception {
        List<String> logged = tls.capture(SecureServerNegotiator.class);
        MeshplayServer server = tls.server(tls.serverFiles(true));
        double before = TlsFixture.metric(server, "grpc_server_tls_handshake_failed_total");
        TestCertificates.Pair impostor = tls.certs.selfSigned("impostor");
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<TransportSecurity> security = tls.trustingClient(impostor);
            assertThatThrownBy(() -> hello(tls.channel(server, security))).as("attempt %d", attempt)
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
        await().atMost(DEADLINE).until(() -> TlsFixture.metric(server, "grpc_server_tls_handshake_failed_total") >= before + 3);
        assertThat(logged.stream().filter(l -> l.startsWith("TLS handshake with 127.0.0.1 failed")).toList()).hasSize(1);
    }

    @Test
    void aClientWithoutACertificateIsRefusedWhenTheServerRequiresOne() {
        MeshplayServer server = tls.server(tls.serverFiles(true));
        assertThatThrownBy(() -> hello(tls.channel(server, tls.trustingClient(null))))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        // optional: the same client gets in, with no identity
        MeshplayServer optional = tls.server(tls.serverFiles(true, "tls.files.client-auth", "optional"));
        assertThat(hello(tls.channel(optional, tls.trustingClient(null)))).isEqualTo("hello tls");
    }

    @Test
    void aClientThatDoesNotTrustTheServersCaRefusesIt() {
        MeshplayServer server = tls.server(tls.serverFiles(false));
        TestCertificates.Pair otherCa = tls.certs.ca("other-ca");
        Optional<TransportSecurity> security = tls.clientSecurity("tls.mode", "files", "tls.files.ca", otherCa.cert().toString());
        assertThatThrownBy(() -> hello(tls.channel(server, security))).isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void helidonTransportWithTlsFailsAtStartWithOneLine() {
        assertThatThrownBy(() -> tls.server(tls.serverFiles(false, "grpc.transport", "helidon")))
                .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.exitCode()).isEqualTo(Startup.CONFIG_ERROR))
                .hasMessage("grpc.transport=helidon does not support tls.mode=files; use grpc.transport=netty");
    }

    @Test
    void permissiveAcceptsPlaintextOnTheSamePortAndSaysSoOncePerPeer() throws Exception {
        List<String> logged = tls.capture(CallAuthorization.class);
        MeshplayServer server = tls.server(tls.serverFiles(true, "tls.files.permissive", "true"));
        ManagedChannel plaintext = tls.channel(server, Optional.empty());
        assertThat(hello(plaintext)).isEqualTo("hello tls");
        assertThat(hello(plaintext)).isEqualTo("hello tls");
        assertThat(hello(tls.channel(server, Optional.empty()))).as("a second plaintext connection").isEqualTo("hello tls");
        assertThat(TlsFixture.presented(tls.channel(server, tls.trustingClient(tls.client)))).isEqualTo("CN=example");
        assertThat(TlsFixture.metric(server, "grpc_server_unauthenticated_total")).isGreaterThanOrEqualTo(3);
        assertThat(logged.stream().filter(l -> l.startsWith("plaintext call from 127.0.0.1 to example: unauthenticated")).toList())
                .hasSize(1);
    }

    @Test
    void withoutPermissiveAPlaintextClientIsRefusedAndTheServerSaysWhy() {
        List<String> logged = tls.capture(SecureServerNegotiator.class);
        MeshplayServer server = tls.server(tls.serverFiles(true));
        assertThatThrownBy(() -> hello(tls.channel(server, Optional.empty())))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        await().atMost(DEADLINE).until(() -> logged.stream().anyMatch(l -> l.contains("did not speak TLS")));
    }

    @Test
    void aDeniedCallIsPermissionDeniedNamingSourceAndDestinationAndCounted() throws Exception {
        MeshplayServer server = tls.server("tls.mode", "test-deny", "tls.files.cert", tls.example.cert().toString(),
                "tls.files.key", tls.example.key().toString(), "tls.files.ca", tls.ca.cert().toString());
        assertThat(hello(tls.channel(server, tls.trustingClient(tls.client)))).isEqualTo("hello tls");

        ManagedChannel denied = tls.channel(server, tls.trustingClient(tls.certs.leaf(tls.ca, "denied")));
        assertThatThrownBy(() -> hello(denied)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).isEqualTo("denied may not call example: test policy denies it");
        });
        assertThat(TlsFixture.metric(server, "grpc_server_denied_total{destination=\"example\",scope=\"vendor\",source=\"denied\"")).as(TlsFixture.metricLines(server, "grpc_server_denied")).isEqualTo(1);
        // health is not application data: answered whoever asks
        assertThat(HealthGrpc.newBlockingStub(denied).withDeadlineAfter(DEADLINE).check(HealthCheckRequest.getDefaultInstance())
                .getStatus()).isEqualTo(ServingStatus.SERVING);
    }
}
