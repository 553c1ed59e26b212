package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server with {@code tls_mode: connect} registers as Connect native, and every TLS mode is checked over
 * HTTP on the plaintext observe port: Consul's gRPC check has no client certificate for an mTLS port.
 */
@ExtendWith(ConsulExtension.class)
class ConnectNativeRegistrationTest {

    private static final Duration PASSING = Duration.ofSeconds(15);

    private HttpServer observe;
    /** Stands for the mTLS gRPC port: bound so nothing else takes it, and never spoken to by a check. */
    private ServerSocket grpcPort;

    @BeforeEach
    void startObservePort() throws IOException {
        observe = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        observe.createContext("/observe/health/ready", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        observe.start();
        grpcPort = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        observe.stop(0);
        grpcPort.close();
    }

    @Test
    void aConnectServerIsNativeAndCheckedOverHttp(ConsulAgent consul) {
        ServiceInstance instance = instance("example", "connect");
        try (ConsulRegistry registry = TestConfigs.create(consul)) {
            registry.register(instance);
            JsonNode service = ConsulHttp.json(consul, "/v1/agent/service/" + instance.id());
            assertThat(service.path("Connect").path("Native").asBoolean()).isTrue();
            assertThat(service.path("Meta").path(InstanceMetadata.TLS_MODE).asText()).isEqualTo("connect");
            assertThat(checkOf(consul, instance.id()).path("Type").asText()).isEqualTo("http");
            await().atMost(PASSING).until(() -> ConsulHttp.passingIds(consul, "example").contains(instance.id()));

            // the agent loses it (restart wipes a dev agent's state): the reconcile brings it back, still native
            consul.restart();
            await().atMost(PASSING).until(() -> {
                registry.reconcileNow();
                return ConsulHttp.agentHas(consul, instance.id());
            });
            assertThat(ConsulHttp.json(consul, "/v1/agent/service/" + instance.id()).path("Connect").path("Native").asBoolean())
                    .isTrue();
            registry.deregister(instance);
            assertThat(ConsulHttp.agentHas(consul, instance.id())).isFalse();
        }
    }

    @Test
    void aFilesServerIsCheckedOverHttpButIsNotNative(ConsulAgent consul) {
        ServiceInstance instance = instance("example-files", "files");
        try (ConsulRegistry registry = TestConfigs.create(consul)) {
            registry.register(instance);
            JsonNode service = ConsulHttp.json(consul, "/v1/agent/service/" + instance.id());
            assertThat(service.path("Connect").path("Native").asBoolean(false)).isFalse();
            assertThat(checkOf(consul, instance.id()).path("Type").asText()).isEqualTo("http");
            await().atMost(PASSING).until(() -> ConsulHttp.passingIds(consul, "example-files").contains(instance.id()));
        }
    }

    @Test
    void aPlaintextServerKeepsItsGrpcCheck(ConsulAgent consul) {
        try (HealthServer health = HealthServer.start();
             ConsulRegistry registry = TestConfigs.create(consul)) {
            ServiceInstance instance = ConsulRegistryTest.instance("example-plain", health.port());
            registry.register(instance);
            JsonNode service = ConsulHttp.json(consul, "/v1/agent/service/" + instance.id());
            assertThat(service.path("Connect").path("Native").asBoolean(false)).isFalse();
            assertThat(checkOf(consul, instance.id()).path("Type").asText()).isEqualTo("grpc");
        }
    }

    private ServiceInstance instance(String name, String tlsMode) {
        Map<String, String> meta = new HashMap<>();
        meta.put(InstanceMetadata.VERSION, "1.0.0");
        meta.put(InstanceMetadata.PROTOCOL, InstanceMetadata.PROTOCOL_GRPC);
        meta.put(InstanceMetadata.METRICS_PORT, Integer.toString(observe.getAddress().getPort()));
        meta.put(InstanceMetadata.HEALTH_PATH, InstanceMetadata.DEFAULT_HEALTH_PATH);
        meta.put(InstanceMetadata.TLS_MODE, tlsMode);
        return ServiceInstance.builder().name(name).version("1.0.0").host("127.0.0.1").port(grpcPort.getLocalPort())
                .metadata(meta).build();
    }

    private static JsonNode checkOf(ConsulAgent consul, String serviceId) {
        for (JsonNode check : ConsulHttp.json(consul, "/v1/agent/checks")) {
            if (serviceId.equals(check.path("ServiceID").asText())) {
                return check;
            }
        }
        throw new AssertionError("no check of " + serviceId);
    }
}
