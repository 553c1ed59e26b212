package io.meshplay.server;

import java.util.Map;
import java.util.UUID;

import io.grpc.stub.StreamObserver;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcRouting;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.Response;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.memory.MemoryRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** A plain Helidon WebServer, no MeshplayServer: registration is switched on by its YAML alone. */
class RegistrationFeatureConfigTest {

    private static final String FEATURE = "server.features.meshplay-registration";

    // a registry of its own, so other tests in this JVM do not see these instances
    private final String space = "feature-" + UUID.randomUUID();
    private final Registry registry = MemoryRegistry.shared(space);

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    private Config yaml(String feature) {
        return yaml(feature, "memory");
    }

    private Config yaml(String feature, String registryType) {
        String text = """
                server:
                  host: 127.0.0.1
                  port: 0
                  features:
                    meshplay-registration:
                """ + feature.indent(6) + """
                      registry:
                        type: %s
                        memory:
                          name: %s
                """.formatted(registryType, space);
        return Config.just(ConfigSources.create(text, MediaTypes.APPLICATION_YAML));
    }

    private static WebServer server(Config config) {
        return WebServer.builder().config(config.get("server")).shutdownHook(false)
                .addRouting(GrpcRouting.builder().service(new Echo()))
                .build();
    }

    @Test
    void registersWithTheFullDescriptionAndTheBoundPortAndIsGoneAfterStop() {
        WebServer server = server(yaml("""
                service:
                  name: plain
                  version: 2.1.0
                  tags: [team-a]
                  grpc-methods: [Example/Stream, Example/Call]
                  metadata:
                    owner: ops
                """)).start();
        int port = server.port();
        ServiceInstance instance;
        try {
            assertThat(registry.instances("plain")).hasSize(1);
            instance = registry.instances("plain").getFirst();
        } finally {
            server.stop();
        }
        assertThat(instance.id()).isEqualTo("plain-127.0.0.1-" + port);
        assertThat(instance.host()).isEqualTo("127.0.0.1");
        assertThat(instance.port()).isEqualTo(port);
        assertThat(instance.version()).isEqualTo("2.1.0");
        assertThat(instance.tags()).containsExactly("grpc", "metrics", "v2.1.0", "team-a");
        assertThat(instance.metadata()).containsOnly(
                entry(InstanceMetadata.VERSION, "2.1.0"),
                entry(InstanceMetadata.PROTOCOL, "grpc"),
                entry(InstanceMetadata.GRPC_TRANSPORT, "helidon"),
                entry(InstanceMetadata.METRICS_PATH, "/observe/metrics"),
                entry(InstanceMetadata.METRICS_PORT, Integer.toString(port)),
                entry(InstanceMetadata.HEALTH_PATH, "/observe/health/ready"),
                entry(InstanceMetadata.GRPC_METHODS, "Example/Call,Example/Stream"),
                entry("owner", "ops"));
        assertThat(registry.instances("plain")).isEmpty();
    }

    @Test
    void idAndAdvertiseHostAndPathsFromConfig() {
        WebServer server = server(yaml("""
                service:
                  name: plain
                  id: plain-1
                  advertise-host: plain.example
                  metrics-path: /metrics
                  health-path: /ready
                """)).start();
        try {
            assertThat(registry.instances("plain")).singleElement().satisfies(i -> {
                assertThat(i.id()).isEqualTo("plain-1");
                assertThat(i.address()).isEqualTo("plain.example:" + server.port());
                assertThat(i.metadata()).containsEntry(InstanceMetadata.METRICS_PATH, "/metrics")
                        .containsEntry(InstanceMetadata.HEALTH_PATH, "/ready");
            });
        } finally {
            server.stop();
        }
    }

    @Test
    void disabledRegistersNothing() {
        WebServer server = server(yaml("""
                enabled: false
                service:
                  name: plain
                """)).start();
        try {
            assertThat(server.isRunning()).isTrue();
            assertThat(registry.instances("plain")).isEmpty();
        } finally {
            server.stop();
        }
    }

    @Test
    void withoutItsNodeTheFeatureOnTheClassPathRegistersNothing() {
        Config config = Config.just(ConfigSources.create("server: {host: 127.0.0.1, port: 0}", MediaTypes.APPLICATION_YAML));
        WebServer server = server(config).start();
        try {
            assertThat(server.isRunning()).isTrue();
            assertThat(registry.instances("plain")).isEmpty();
        } finally {
            server.stop();
        }
    }

    @Test
    void aBadValueNamesItsKey() {
        assertThatThrownBy(() -> server(yaml("service: {version: 1.0.0}")))
                .hasMessageContaining("'" + FEATURE + ".service.name' is required");
        assertThatThrownBy(() -> server(yaml("service: {name: plain, health-path: ready}")))
                .hasMessageContaining("'" + FEATURE + ".service.health-path' is 'ready'");
        assertThatThrownBy(() -> server(yaml("service: {name: plain, advertise-host: ''}")))
                .hasMessageContaining("'" + FEATURE + ".service.advertise-host'");
        assertThatThrownBy(() -> server(yaml("weight: heavy\nservice: {name: plain}")))
                .hasMessageContaining(FEATURE + ".weight");
        assertThatThrownBy(() -> server(yaml("service: {name: plain}", "nosuch")))
                .hasMessageContaining(FEATURE + ".registry.type");
    }

    @Test
    void meshplayServerRegistersThroughTheSameFeatureWithWhatOnlyItKnows() {
        Config config = MeshplayConfig.of(Map.of("service.name", "runtime",
                "service.id", "runtime-1", "service.metadata.owner", "ops", "service.health-path", "/elsewhere",
                "registry.type", "memory", "registry.memory.name", space));
        try (MeshplayServer server = MeshplayServer.builder().config(config).addService(new Echo()).start()) {
            assertThat(registry.instances("runtime")).singleElement().satisfies(i -> {
                assertThat(i).isEqualTo(server.instance());
                assertThat(i.id()).isEqualTo("runtime-1");
                assertThat(i.port()).isEqualTo(server.port()).isNotEqualTo(server.observePort());
                assertThat(i.metadata())
                        .containsEntry("owner", "ops")
                        .containsEntry(InstanceMetadata.GRPC_TRANSPORT, "netty")
                        .containsEntry(InstanceMetadata.METRICS_PORT, Integer.toString(server.observePort()))
                        .containsEntry(InstanceMetadata.HEALTH_PATH, MeshplayServer.HEALTH_PATH)
                        .containsEntry(InstanceMetadata.GRPC_METHODS, "Example/Call,Example/PingPong,Example/Stream,"
                                + "grpc.health.v1.Health/Check,grpc.health.v1.Health/Watch");
            });
        }
        assertThat(registry.instances("runtime")).isEmpty();
    }

    private static final class Echo extends ExampleGrpc.ExampleImplBase {
        @Override
        public void call(Request request, StreamObserver<Response> response) {
            response.onNext(Response.newBuilder().setMsg(request.getName()).build());
            response.onCompleted();
        }
    }
}
