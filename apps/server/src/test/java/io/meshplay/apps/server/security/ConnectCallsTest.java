package io.meshplay.apps.server.security;

import static io.meshplay.apps.server.security.ConnectMesh.CLIENT;
import static io.meshplay.apps.server.security.ConnectMesh.READY;
import static io.meshplay.apps.server.security.ConnectMesh.SERVICE;
import static io.meshplay.apps.server.security.ConnectMesh.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import io.meshplay.testing.TestCertificates;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls.mode: connect} end to end: a server and a client that find each other through a real Consul
 * and call over mutual TLS with the agent's certificates; the server is Connect native in Consul and its
 * check (HTTP, on the observe port) passes; a server that is not the service asked for, and a client whose
 * certificate Connect's CA did not sign, are refused at the handshake.
 */
@ExtendWith(ConsulExtension.class)
class ConnectCallsTest {

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void aConnectServerAndClientCallOverMutualTlsThroughConsul(ConsulAgent consul) throws Exception {
        HandlerCalls handler = new HandlerCalls();
        MeshplayServer server = closer.add(ConnectMesh.start(ConnectMesh.server(consul, null, SERVICE), handler));
        String id = server.instance().id();
        await().atMost(READY).until(server::securityReady);

        // Consul's view: Connect native, checked over HTTP on the observe port (not gRPC on the mTLS port), passing
        JsonObject registered = ConnectMesh.consulJson(consul, "/v1/agent/service/" + id, null).getAsJsonObject();
        assertThat(registered.getAsJsonObject("Connect").get("Native").getAsBoolean()).isTrue();
        assertThat(registered.getAsJsonObject("Meta").get("tls_mode").getAsString()).isEqualTo("connect");
        JsonObject check = checkOf(consul, id);
        assertThat(check.get("Type").getAsString()).isEqualTo("http");
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> ConnectMesh.passing(consul, id, null));
        assertThat(checkOf(consul, id).get("Output").getAsString()).contains(":" + server.observePort() + "/");

        try (MeshplayClient client = MeshplayClient.create(MeshplayConfig.of(ConnectMesh.client(consul, null)))) {
            for (int i = 0; i < 20; i++) {
                assertThat(call(client.channel(SERVICE), "mtls-" + i)).isEqualTo("Hello mtls-" + i);
            }
            X509Certificate presented = ConnectMesh.presented(client.channel(SERVICE));
            assertThat(uriSan(presented)).startsWith("spiffe://").endsWith("/svc/" + SERVICE);
            assertThat(ConnectMesh.signedBy(presented, ConnectMesh.activeRoot(consul))).isTrue();
        }
        assertThat(handler.count()).isEqualTo(21);
        assertThat(uriSan(handler.lastClientLeaf())).as("the client's own leaf, as the server saw it")
                .startsWith("spiffe://").endsWith("/svc/" + CLIENT);
    }

    @Test
    void aClientAskingForExampleRefusesAServerWhoseCertificateNamesAnotherService(ConsulAgent consul) throws Exception {
        HandlerCalls handler = new HandlerCalls();
        MeshplayServer other = closer.add(ConnectMesh.start(ConnectMesh.server(consul, null, "other"), handler));
        await().atMost(READY).until(other::securityReady);
        MeshplayClient client = closer.add(MeshplayClient.create(MeshplayConfig.of(ConnectMesh.client(consul, null))));
        // an instance of 'example' in Consul that is really the 'other' server's port (a mistake or an attack)
        ServiceInstance impostor = ServiceInstance.builder().name(SERVICE).version("1.0.0").host("127.0.0.1").port(other.port())
                .metadata(Map.of(InstanceMetadata.PROTOCOL, InstanceMetadata.PROTOCOL_GRPC,
                        InstanceMetadata.TLS_MODE, InstanceMetadata.TLS_MODE_CONNECT,
                        InstanceMetadata.METRICS_PORT, String.valueOf(other.observePort()),
                        InstanceMetadata.HEALTH_PATH, InstanceMetadata.DEFAULT_HEALTH_PATH))
                .build();
        client.registry().register(impostor);
        closer.add(() -> client.registry().deregister(impostor));
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> ConnectMesh.passing(consul, impostor.id(), null));

        for (int i = 0; i < 3; i++) {
            String name = "impostor-" + i;
            assertThatThrownBy(() -> call(client.channel(SERVICE), name))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(causes(e)).as(causes(e)).contains("expected a certificate for service '" + SERVICE + "'")
                                .contains("/svc/other");
                        if (name.endsWith("0")) {
                            Throwable root = e;
                            while (root.getCause() != null) {
                                root = root.getCause();
                            }
                            System.out.println("impostor refused: " + e.getStatus().getCode() + ", deepest cause: " + root);
                        }
                    });
        }
        assertThat(handler.count()).as("calls that reached the impostor's handler").isZero();
        // the same server is fine for a client that asks for what it is
        MeshplayClient honest = closer.add(MeshplayClient.create(MeshplayConfig.of(ConnectMesh.client(consul, null))));
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).ignoreException(StatusRuntimeException.class)
                .until(() -> call(honest.channel("other"), "honest"), "Hello honest"::equals);
        assertThat(handler.count()).isEqualTo(1);
    }

    @Test
    void aClientWithASelfSignedCertificateIsRefusedAtTheHandshakeAndLoggedOncePerPeer(ConsulAgent consul, @TempDir Path dir)
            throws Exception {
        HandlerCalls handler = new HandlerCalls();
        MeshplayServer server = closer.add(ConnectMesh.start(ConnectMesh.server(consul, null, SERVICE), handler));
        await().atMost(READY).until(server::securityReady);
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> ConnectMesh.passing(consul, server.instance().id(), null));
        LogLines log = closer.add(LogLines.of("io.meshplay.server.SecureServerNegotiator"));
        double failedBefore = ConnectMesh.metric(server, "grpc_server_tls_handshake_failed_total");

        // trusts Connect's CA, so the client side of the handshake is satisfied; presents its own self-signed leaf
        Path roots = Files.writeString(dir.resolve("connect-root.pem"), ConnectMesh.activeRootPem(consul));
        TestCertificates.Pair self = new TestCertificates(dir).selfSigned(ConnectMesh.CLIENT);
        Map<String, String> files = ConnectMesh.registry(consul, null);
        files.putAll(Map.of("tls.mode", "files", "tls.files.ca", roots.toString(), "tls.files.cert", self.cert().toString(),
                "tls.files.key", self.key().toString()));
        int attempts = 3;
        for (int i = 0; i < attempts; i++) {
            // a new client each time: a new connection, a new handshake
            try (MeshplayClient client = MeshplayClient.create(MeshplayConfig.of(files))) {
                assertThatThrownBy(() -> call(client.channel(SERVICE), "self-signed"))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).as(causes(e)).isEqualTo(Status.Code.UNAVAILABLE));
            }
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ConnectMesh.metric(server, "grpc_server_tls_handshake_failed_total") >= failedBefore + attempts);
        assertThat(handler.count()).isZero();
        String refused = "TLS handshake with 127.0.0.1 failed: the client's certificate is not signed by a CA this server trusts";
        assertThat(log.lines()).as(String.join("\n", log.lines())).filteredOn(l -> l.contains("TLS handshake with 127.0.0.1"))
                .hasSize(1).allMatch(l -> l.contains(refused));
    }

    /** The status and every cause's message: where grpc-java puts what the handshake said. */
    static String causes(StatusRuntimeException e) {
        StringBuilder all = new StringBuilder(e.getStatus().toString());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            all.append(" <- ").append(t);
        }
        return all.toString();
    }

    static JsonObject checkOf(ConsulAgent consul, String serviceId) {
        for (var entry : ConnectMesh.consulJson(consul, "/v1/agent/checks", null).getAsJsonObject().entrySet()) {
            JsonObject check = entry.getValue().getAsJsonObject();
            if (serviceId.equals(check.get("ServiceID").getAsString())) {
                return check;
            }
        }
        throw new AssertionError("no check of " + serviceId);
    }

    static String uriSan(X509Certificate leaf) throws CertificateParsingException {
        assertThat(leaf).isNotNull();
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
            if (Integer.valueOf(6).equals(san.get(0))) {
                return (String) san.get(1);
            }
        }
        return "no URI SAN";
    }
}
