package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshplay.registry.InstanceDescription;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.ServiceInstance;
import org.junit.jupiter.api.Test;

/** tls_mode from the server's description to the registration Consul receives. */
class ConnectNativeEncodingTest {

    private static ServiceInstance described(String tlsMode) {
        return InstanceDescription.builder().name("example").version("1.0.0").host("127.0.0.1").port(50051)
                .metricsPort(8080).grpcTransport("netty").grpcMethods(List.of("Example/Call")).tlsMode(tlsMode).build();
    }

    @Test
    void theDescriptionCarriesTheTlsModeUnlessOff() {
        assertThat(described("connect").metadata()).containsEntry(InstanceMetadata.TLS_MODE, "connect");
        assertThat(described("files").metadata()).containsEntry(InstanceMetadata.TLS_MODE, "files");
        assertThat(described("off").metadata()).doesNotContainKey(InstanceMetadata.TLS_MODE);
        assertThat(described(null).metadata()).doesNotContainKey(InstanceMetadata.TLS_MODE);
    }

    @Test
    void connectIsNativeWithAnHttpCheckOnTheObservePort() throws Exception {
        ConsulRegistryOptions options = ConsulRegistryOptions.defaults();
        ServiceInstance instance = described("connect");
        var registration = ConsulEncoding.registration(instance, options).registration();
        assertThat(ConsulEncoding.connectNative(registration)).isTrue();
        assertThat(ConsulEncoding.checkType(instance, options)).isEqualTo(ConsulRegistryOptions.CheckType.HTTP);
        assertThat(registration.getCheck().orElseThrow().getHttp()).contains("http://127.0.0.1:8080/observe/health/ready");
        JsonNode json = new ObjectMapper().readTree(ConnectNativeRegistrar.json(registration));
        assertThat(json.path("Connect").path("Native").asBoolean()).isTrue();
        assertThat(json.path("Name").asText()).isEqualTo("example");
        assertThat(json.path("Port").asInt()).isEqualTo(50051);
        assertThat(json.path("Meta").path("tls_mode").asText()).isEqualTo("connect");
        assertThat(json.path("Check").path("HTTP").asText()).endsWith("/observe/health/ready");
    }

    @Test
    void plaintextKeepsTheConfiguredGrpcCheckAndIsNotNative() {
        ConsulRegistryOptions options = ConsulRegistryOptions.defaults();
        ServiceInstance instance = described("off");
        assertThat(ConsulEncoding.connectNative(ConsulEncoding.registration(instance, options).registration())).isFalse();
        assertThat(ConsulEncoding.checkType(instance, options)).isEqualTo(ConsulRegistryOptions.CheckType.GRPC);
    }
}
