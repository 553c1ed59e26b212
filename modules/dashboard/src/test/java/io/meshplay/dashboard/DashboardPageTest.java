package io.meshplay.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.webserver.WebServer;
import io.meshplay.broker.memory.MemoryBroker;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.memory.MemoryRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The page's markup and the dashboard's config, with the in-process plug-ins (memory registry and broker). */
class DashboardPageTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void whatTheRegistryHoldsIsEscapedNotRun() throws Exception {
        try (MemoryRegistry registry = new MemoryRegistry()) {
            registry.register(ServiceInstance.builder().id("x-<script>alert(1)</script>").name("svc").port(9000)
                    .tags(List.of("<b>tag</b>")).metadata(Map.of("owner", "\"><img src=x onerror=alert(1)>")).build());
            String page = page(registry, Map.of());
            assertThat(page).doesNotContain("<script>alert(1)</script>").doesNotContain("<img src=x")
                    .contains("x-&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;b&gt;tag&lt;/b&gt;")
                    .contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        }
    }

    @Test
    void intentionsAreShownWhenTheMeshRunsConnect() throws Exception {
        try (MemoryRegistry registry = new MemoryRegistry()) {
            registry.register(instance("plain", Map.of()));
            assertThat(page(registry, Map.of())).doesNotContain("Intentions (Connect)");

            registry.register(instance("secure", Map.of(InstanceMetadata.TLS_MODE, InstanceMetadata.TLS_MODE_CONNECT)));
            registry.intentions().orElseThrow().deny("client-stream", "example");
            registry.intentions().orElseThrow().allow("*", "example");
            String page = page(registry, Map.of());
            assertThat(page).contains("<h2 id=\"intentions-h\">Intentions (Connect)</h2>")
                    .contains("<td>client-stream</td><td>example</td><td><span class=\"action deny\">deny</span>")
                    .contains("<td>*</td><td>example</td><td><span class=\"action allow\">allow</span>")
                    .contains("href=\"http://127.0.0.1:8500/ui/dc1/intentions\"")
                    .contains("spiffe …/svc/example");
        }
    }

    @Test
    void accessibleStructureOnTheFirstPaint() throws Exception {
        try (MemoryRegistry registry = new MemoryRegistry()) {
            registry.register(instance("one", Map.of()));
            String page = page(registry, Map.of());
            assertThat(page).startsWith("<!doctype html><html lang=\"en\">")
                    .contains("<h1>meshplay</h1>").contains("<main id=\"main\">")
                    .contains("<p id=\"summary\" role=\"status\" aria-live=\"polite\">1 service(s), 1 instance(s), 1 passing; 0 poisoned message(s).</p>")
                    .contains("<caption>Instances of example</caption>").contains("<th scope=\"col\">Health</th>")
                    .contains("<th scope=\"row\">one</th>")
                    .contains("<label for=\"call-service\">Service</label>")
                    // nothing loaded from elsewhere: the machine may have no internet
                    .doesNotContainPattern("src=\"(https?:)?//").doesNotContainPattern("stylesheet\" href=\"(https?:)?//");
        }
    }

    @Test
    void linksFollowConfigAndBlankTurnsOneOff() throws Exception {
        try (MemoryRegistry registry = new MemoryRegistry()) {
            registry.register(instance("one", Map.of()));
            String page = page(registry, Map.of("dashboard.prometheus-url", "https://prom.example.org/",
                    "dashboard.zipkin-url", ""));
            assertThat(page).contains("href=\"https://prom.example.org/graph?g0.expr=")
                    .contains("rate%28grpc_server_call_started_total%7Bservice%3D%22example%22%7D%5B1m%5D%29")
                    .doesNotContain("Zipkin").contains("Consul UI");
        }
    }

    @Test
    void badConfigNamesTheKey() {
        try (MemoryRegistry registry = new MemoryRegistry()) {
            Config bad = MeshplayConfig.of(Map.of("dashboard.consul-ui-url", "127.0.0.1:8500")).get("dashboard");
            assertThatThrownBy(() -> DashboardService.create(bad, registry, Optional.empty()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("dashboard.consul-ui-url")
                    .hasMessageContaining("an http(s) URL");
            Config slow = MeshplayConfig.of(Map.of("dashboard.refresh-interval", "10ms")).get("dashboard");
            assertThatThrownBy(() -> DashboardService.create(slow, registry, Optional.empty()))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("dashboard.refresh-interval");
        }
        assertThat(DashboardOptions.OPTIONS.help().keySet()).contains("dashboard.consul-ui-url", "dashboard.prometheus-url",
                "dashboard.zipkin-url", "dashboard.queues");
    }

    @Test
    void withoutABrokerTheQueuesSaySoAndWithAnEmptyPoisonQueueReplayMovesNothing() throws Exception {
        try (MemoryRegistry registry = new MemoryRegistry()) {
            String page = page(registry, Map.of());
            assertThat(page).contains("No service is registered.").contains("no broker is configured.");
        }
        try (MemoryRegistry registry = new MemoryRegistry(); MemoryBroker broker = new MemoryBroker()) {
            DashboardService dashboard = DashboardService.create(MeshplayConfig.of(Map.of("dashboard.queues", "jobs"))
                    .get("dashboard"), registry, Optional.of(broker));
            WebServer web = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.register("/", dashboard)).build().start();
            try {
                HttpResponse<String> queues = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port()
                        + "/_/dashboard/api/queues")).build());
                assertThat(queues.body()).contains("\"name\":\"jobs\"").contains("\"poisonLength\":0");
                HttpResponse<String> replay = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port()
                        + "/_/dashboard/api/queues/jobs/replay")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
                assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
                assertThat(replay.body()).contains("\"replayed\":[]");
            } finally {
                web.stop();
                dashboard.close();
            }
        }
    }

    @Test
    void startedCallsAreSummedPerMethodFromPrometheusText() {
        String text = """
                # TYPE grpc_server_call_started_total counter
                grpc_server_call_started_total{grpc_method="Example/Call",scope="vendor"} 12.0
                grpc_server_call_started_total{scope="vendor",grpc_method="Example/Call",other="x"} 3
                grpc_server_call_started_total{grpc_method="grpc.health.v1.Health/Check",scope="vendor"} 40.0
                grpc_server_call_started_totalish{grpc_method="Example/Call"} 99
                grpc_server_call_started_total{no_method="x"} 5
                grpc_server_call_started_total{grpc_method="Example/Stream"} not-a-number
                """;
        assertThat(CallRates.startedCalls(text)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Example/Call", 15.0, "grpc.health.v1.Health/Check", 40.0));
    }

    private String page(MemoryRegistry registry, Map<String, String> settings) throws Exception {
        DashboardService dashboard = DashboardService.create(MeshplayConfig.of(settings).get("dashboard"), registry, Optional.empty());
        WebServer web = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.register("/", dashboard)).build().start();
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/")).build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
            return response.body();
        } finally {
            web.stop();
            dashboard.close();
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static ServiceInstance instance(String id, Map<String, String> metadata) {
        return ServiceInstance.builder().id(id).name("example").port(9000).tags(List.of("grpc")).metadata(metadata).build();
    }
}
