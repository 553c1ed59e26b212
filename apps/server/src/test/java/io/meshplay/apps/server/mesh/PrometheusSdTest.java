package io.meshplay.apps.server.mesh;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.meshplay.example.service.ExampleService;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.observe.PrometheusSdService;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryException;
import io.meshplay.registry.RegistryListener;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.Watch;
import io.meshplay.registry.memory.MemoryRegistry;
import io.meshplay.server.MeshplayServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The http_sd endpoint every server mounts: what it lists, its labels, its JSON, and a registry outage. */
class PrometheusSdTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void listsMetricsTaggedInstancesWithTheirLabels() throws Exception {
        try (MemoryRegistry registry = new MemoryRegistry();
             MeshplayServer server = MeshplayServer.builder().config(MeshplayConfig.of(Map.of("service.name", "example",
                             "service.version", "2.0.0"))).registry(registry).addService(new ExampleService()).start()) {
            // not scraped: no metrics tag
            registry.register(ServiceInstance.builder().id("db-1").name("db").port(5432).tags(List.of("sql")).build());
            // scraped with the default path, and a label value that needs escaping in JSON
            registry.register(ServiceInstance.builder().id("odd \"id\"\\1").name("odd").version("v\n1").port(9000)
                    .tags(List.of("metrics")).build());
            registry.register(ServiceInstance.builder().id("custom").name("custom").port(9100).tags(List.of("metrics"))
                    .metadata(Map.of("metrics_path", "/metrics")).build());

            HttpResponse<String> response = get(server);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonArray groups = JsonParser.parseString(response.body()).getAsJsonArray();
            assertThat(groups).hasSize(3);

            // sorted by service then id: custom, example, odd
            assertGroup(groups.get(0).getAsJsonObject(), "127.0.0.1:9100",
                    Map.of("__metrics_path__", "/metrics", "service", "custom", "instance", "custom", "version", ""));
            // the observe port (metrics_port), not the registered gRPC port
            assertThat(server.observePort()).isNotEqualTo(server.port());
            assertGroup(groups.get(1).getAsJsonObject(), "127.0.0.1:" + server.observePort(),
                    Map.of("__metrics_path__", "/observe/metrics", "service", "example",
                            "instance", server.instance().id(), "version", "2.0.0"));
            assertGroup(groups.get(2).getAsJsonObject(), "127.0.0.1:9000",
                    Map.of("__metrics_path__", "/observe/metrics", "service", "odd", "instance", "odd \"id\"\\1", "version", "v\n1"));
        }
    }

    @Test
    void registryOutageIs503SoPrometheusKeepsItsTargets() throws Exception {
        try (MeshplayServer server = MeshplayServer.builder().config(MeshplayConfig.of(Map.of("service.name", "example")))
                .registry(new DownRegistry()).addService(new ExampleService()).start()) {
            HttpResponse<String> response = get(server);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("registry down unavailable").contains("connection refused");
        }
    }

    private HttpResponse<String> get(MeshplayServer server) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.observePort() + PrometheusSdService.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertGroup(JsonObject group, String target, Map<String, String> labels) {
        assertThat(group.getAsJsonArray("targets").asList()).singleElement()
                .satisfies(t -> assertThat(t.getAsString()).isEqualTo(target));
        JsonObject actual = group.getAsJsonObject("labels");
        assertThat(actual.keySet()).isEqualTo(labels.keySet());
        labels.forEach((k, v) -> assertThat(actual.get(k).getAsString()).as(k).isEqualTo(v));
    }

    /** A registry that accepts registrations but cannot list: what a Consul outage looks like to the endpoint. */
    private static final class DownRegistry implements Registry {
        @Override
        public String type() {
            return "down";
        }

        @Override
        public void register(ServiceInstance instance) {
        }

        @Override
        public void deregister(ServiceInstance instance) {
        }

        @Override
        public List<ServiceInstance> instances(String service) {
            throw new RegistryException("connection refused");
        }

        @Override
        public Set<String> services() {
            throw new RegistryException("connection refused");
        }

        @Override
        public Watch watch(String service, RegistryListener listener) {
            throw new RegistryException("connection refused");
        }

        @Override
        public void close() {
        }
    }
}
