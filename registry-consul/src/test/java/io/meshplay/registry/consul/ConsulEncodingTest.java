package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.meshplay.registry.ServiceInstance;
import org.junit.jupiter.api.Test;
import org.kiwiproject.consul.model.agent.Registration;

/** Encoding to Consul's registration and its size limits; no agent needed. */
class ConsulEncodingTest {

    @Test
    void registrationCarriesIdTagsMetaAndGrpcCheck() {
        ServiceInstance instance = ConsulRegistryTest.instance("example", 50051);
        Registration r = ConsulEncoding.registration(instance, ConsulRegistryOptions.defaults()).registration();
        assertThat(r.getId()).isEqualTo("example-127.0.0.1-50051");
        assertThat(r.getName()).isEqualTo("example");
        assertThat(r.getAddress()).contains("127.0.0.1");
        assertThat(r.getPort()).contains(50051);
        assertThat(r.getTags()).containsExactly("grpc", "metrics", "v1");
        assertThat(r.getMeta()).containsEntry("version", "1.0.0").containsEntry("protocol", "grpc");
        Registration.RegCheck check = r.getCheck().orElseThrow();
        assertThat(check.getGrpc()).contains("127.0.0.1:50051");
        assertThat(check.getInterval()).contains("5s");
        assertThat(check.getTimeout()).contains("2s");
        assertThat(check.getDeregisterCriticalServiceAfter()).contains("1m");
    }

    @Test
    void httpCheckUsesHealthPathOrTheDefault() {
        ServiceInstance plain = ServiceInstance.builder().name("a").port(8080).build();
        assertThat(ConsulEncoding.httpUrl(plain)).isEqualTo("http://127.0.0.1:8080/observe/health/ready");
        ServiceInstance custom = ServiceInstance.builder().name("a").port(8080).metadata(Map.of("health_path", "/hc")).build();
        assertThat(ConsulEncoding.httpUrl(custom)).isEqualTo("http://127.0.0.1:8080/hc");
        ServiceInstance v6 = ServiceInstance.builder().name("a").host("::1").port(8080).build();
        assertThat(ConsulEncoding.httpUrl(v6)).isEqualTo("http://[::1]:8080/observe/health/ready");
    }

    @Test
    void longMethodListIsCutAtAMethodBoundaryWithACount() {
        List<String> methods = IntStream.range(0, 100).mapToObj(i -> "example.v1.EchoService/Method" + i).toList();
        List<String> warnings = new ArrayList<>();
        Map<String, String> meta = ConsulEncoding.boundedMeta(Map.of("grpc_methods", String.join(",", methods)), warnings);
        String value = meta.get("grpc_methods");
        assertThat(value.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(512);
        String[] parts = value.split(",");
        String marker = parts[parts.length - 1];
        int kept = parts.length - 1;
        assertThat(marker).isEqualTo("+" + (100 - kept) + " more");
        assertThat(List.of(parts).subList(0, kept)).isEqualTo(methods.subList(0, kept));
        assertThat(kept).isGreaterThan(10);
        assertThat(warnings).singleElement().asString().contains("grpc_methods");
        // a list that fits is untouched
        assertThat(ConsulEncoding.truncateList("a,b,c")).isEqualTo("a,b,c");
    }

    @Test
    void metaIsBoundedToConsulLimitsKeepingWellKnownKeys() {
        Map<String, String> input = new LinkedHashMap<>();
        IntStream.range(0, 100).forEach(i -> input.put("extra" + i, "x"));
        input.put("version", "1.0.0");
        input.put("bad key!", "x");
        input.put("consul-reserved", "x");
        input.put("k".repeat(129), "x");
        input.put("long", "é".repeat(400)); // 800 bytes in UTF-8
        List<String> warnings = new ArrayList<>();
        Map<String, String> meta = ConsulEncoding.boundedMeta(input, warnings);
        assertThat(meta).hasSize(64).containsEntry("version", "1.0.0");
        assertThat(meta.keySet().stream().findFirst()).contains("version");
        assertThat(meta).doesNotContainKeys("bad key!", "consul-reserved", "k".repeat(129));
        assertThat(meta.values()).allMatch(v -> v.getBytes(StandardCharsets.UTF_8).length <= 512);
        assertThat(warnings.stream().collect(Collectors.joining("\n"))).contains("at most 64 keys").contains("[A-Za-z0-9_-]");
        String cut = ConsulEncoding.truncate("é".repeat(400));
        assertThat(cut).endsWith("...").startsWith("éé");
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(512);
    }

    @Test
    void durationsAreWrittenAsGoDurations() {
        assertThat(ConsulEncoding.goDuration(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(ConsulEncoding.goDuration(Duration.ofMinutes(1))).isEqualTo("1m");
        assertThat(ConsulEncoding.goDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
