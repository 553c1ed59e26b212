package io.meshplay.apps.server.security;

import static io.meshplay.apps.server.security.ConnectMesh.READY;
import static io.meshplay.apps.server.security.ConnectMesh.SERVICE;
import static io.meshplay.apps.server.security.ConnectMesh.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
 * {@code tls.connect.permissive}: on, a plaintext client of the seed's kind (tls.mode off) still calls the
 * Connect server on its one port and is counted as unauthenticated; off (the default), it is refused at
 * the transport and nothing reaches the handler.
 */
@ExtendWith(ConsulExtension.class)
class PermissiveTest {

    private static final String UNAUTHENTICATED = "grpc_server_unauthenticated_total";

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void permissiveOnAdmitsAPlaintextClientAndCountsIt(ConsulAgent consul) {
        HandlerCalls handler = new HandlerCalls();
        MeshplayServer server = startPassing(consul, handler, "tls.connect.permissive", "true");
        double before = ConnectMesh.metric(server, UNAUTHENTICATED);
        MeshplayClient plaintext = closer.add(MeshplayClient.create(MeshplayConfig.of(plaintextClient(consul))));
        for (int i = 0; i < 5; i++) {
            assertThat(call(plaintext.channel(SERVICE), "plain-" + i)).isEqualTo("Hello plain-" + i);
        }
        assertThat(ConnectMesh.metric(server, UNAUTHENTICATED) - before).as(ConnectMesh.metricLines(server, UNAUTHENTICATED))
                .isEqualTo(5.0);
        // the same port still speaks mutual TLS to a Connect client, which is not counted as unauthenticated
        MeshplayClient connect = closer.add(MeshplayClient.create(MeshplayConfig.of(ConnectMesh.client(consul, null))));
        assertThat(call(connect.channel(SERVICE), "mtls")).isEqualTo("Hello mtls");
        assertThat(ConnectMesh.metric(server, UNAUTHENTICATED) - before).isEqualTo(5.0);
        assertThat(handler.count()).isEqualTo(6);
    }

    @Test
    void permissiveOffRefusesAPlaintextClientBeforeTheHandler(ConsulAgent consul) {
        HandlerCalls handler = new HandlerCalls();
        MeshplayServer server = startPassing(consul, handler);
        double before = ConnectMesh.metric(server, UNAUTHENTICATED);
        MeshplayClient plaintext = closer.add(MeshplayClient.create(MeshplayConfig.of(plaintextClient(consul))));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> call(plaintext.channel(SERVICE), "plain"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .as(ConnectCallsTest.causes(e)).isEqualTo(Status.Code.UNAVAILABLE));
        }
        assertThat(handler.count()).as("calls that reached the handler").isZero();
        assertThat(ConnectMesh.metric(server, UNAUTHENTICATED)).isEqualTo(before);
        // not the instance's fault: a Connect client is served
        MeshplayClient connect = closer.add(MeshplayClient.create(MeshplayConfig.of(ConnectMesh.client(consul, null))));
        assertThat(call(connect.channel(SERVICE), "mtls")).isEqualTo("Hello mtls");
        assertThat(handler.count()).isEqualTo(1);
    }

    private MeshplayServer startPassing(ConsulAgent consul, HandlerCalls handler, String... extra) {
        MeshplayServer server = closer.add(ConnectMesh.start(ConnectMesh.server(consul, null, SERVICE, extra), handler));
        await().atMost(READY).until(server::securityReady);
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> ConnectMesh.passing(consul, server.instance().id(), null));
        return server;
    }

    private static Map<String, String> plaintextClient(ConsulAgent consul) {
        Map<String, String> config = ConnectMesh.registry(consul, null);
        config.put("tls.mode", "off");
        return config;
    }
}
