package io.meshplay.apps.server.mesh;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.google.gson.JsonParser;
import io.meshplay.client.MeshplayClient;
import io.meshplay.client.ServedBy;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import io.meshplay.testing.prometheus.PrometheusProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running mesh as Prometheus sees it: two server JVMs registered in a real Consul, calls through the
 * registry-resolved client, and a real Prometheus that finds both through a server's http_sd endpoint.
 */
@ExtendWith(ConsulExtension.class)
class PrometheusEndToEndTest {

    private static final int CALLS = 20;

    @Test
    void prometheusDiscoversBothInstancesAndCountsTheirCalls(ConsulAgent consul) throws Exception {
        Map<String, String> mesh = Map.of(
                "registry.type", "consul",
                "registry.consul.address", consul.httpAddress(),
                "registry.consul.check.interval", "1s",
                "registry.consul.check.timeout", "1s",
                "broker.type", "memory");
        // both JVMs start at once; each is stopped (SIGTERM, so it deregisters) whatever happens
        try (ServerProcess a = ServerProcess.launch(mesh);
             ServerProcess b = ServerProcess.launch(mesh)) {
            a.awaitReady();
            b.awaitReady();
            Set<String> ids = Set.of(a.instanceId(), b.instanceId());
            String sd = a.url() + "/observe/prometheus-sd";
            // the endpoint lists healthy instances only: both appear once Consul's gRPC checks pass
            await().atMost(Duration.ofSeconds(20)).until(() -> sdInstances(sd), s -> s.equals(ids));

            Map<String, Integer> served = new HashMap<>();
            try (MeshplayClient client = MeshplayClient.create(MeshplayConfig.of(mesh))) {
                for (int i = 0; i < CALLS; i++) {
                    ServedBy by = new ServedBy();
                    var reply = ExampleGrpc.newBlockingStub(client.channel("example")).withInterceptors(by.interceptor())
                            .withDeadlineAfter(10, TimeUnit.SECONDS).call(Request.newBuilder().setName("prom" + i).build());
                    assertThat(reply.getMsg()).isEqualTo("Hello prom" + i);
                    served.merge(by.instance(), 1, Integer::sum);
                }
            }
            assertThat(served.keySet()).as("round robin reaches both instances").isEqualTo(ids);

            try (PrometheusProcess prometheus = PrometheusProcess.start(sd)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    List<PrometheusProcess.Sample> up = prometheus.query("up{job=\"meshplay\"}");
                    assertThat(up).extracting(s -> s.labels().get("instance")).containsExactlyInAnyOrderElementsOf(ids);
                    assertThat(up).allSatisfy(s -> {
                        assertThat(s.value()).isEqualTo(1.0);
                        assertThat(s.labels()).containsEntry("service", "example").containsEntry("version", "1.0.0");
                    });
                });
                // each instance's own counter, as Prometheus scraped it, equals the calls it served
                String calls = "sum by (instance) (grpc_server_call_started_total{job=\"meshplay\",grpc_method=\"Example/Call\"})";
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Map<String, Integer> scraped = prometheus.query(calls).stream().collect(Collectors.toMap(
                            s -> s.labels().get("instance"), s -> (int) s.value()));
                    assertThat(scraped).isEqualTo(served);
                });
            }
        }
    }

    private static Set<String> sdInstances(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JsonParser.parseString(response.body()).getAsJsonArray().asList().stream()
                .map(g -> g.getAsJsonObject().getAsJsonObject("labels").get("instance").getAsString())
                .collect(Collectors.toSet());
    }
}
