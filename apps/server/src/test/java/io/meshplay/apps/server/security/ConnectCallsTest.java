package io.meshplay.apps.server.security;

import static io.meshplay.apps.server.security.ConnectMesh.CLIENT;
import static io.meshplay.apps.server.security.ConnectMesh.READY;
import static io.meshplay.apps.server.security.ConnectMesh.SERVICE;
import static io.meshplay.apps.server.security.ConnectMesh.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tls.mode: connect} end to end: a server and a client that find each other through a real Consul
 * and call over mutual TLS with the agent's certificates; the server is Connect native in Consul and its
 * check (HTTP, on the observe port) passes.
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
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> passing(consul, id));
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

    static JsonObject checkOf(ConsulAgent consul, String serviceId) {
        for (var entry : ConnectMesh.consulJson(consul, "/v1/agent/checks", null).getAsJsonObject().entrySet()) {
            JsonObject check = entry.getValue().getAsJsonObject();
            if (serviceId.equals(check.get("ServiceID").getAsString())) {
                return check;
            }
        }
        throw new AssertionError("no check of " + serviceId);
    }

    static boolean passing(ConsulAgent consul, String serviceId) {
        for (JsonElement e : ConnectMesh.consulJson(consul, "/v1/health/service/" + SERVICE + "?passing", null).getAsJsonArray()) {
            if (serviceId.equals(e.getAsJsonObject().getAsJsonObject("Service").get("ID").getAsString())) {
                return true;
            }
        }
        return false;
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
