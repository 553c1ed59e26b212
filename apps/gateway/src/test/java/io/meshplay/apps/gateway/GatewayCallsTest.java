package io.meshplay.apps.gateway;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Calls of every kind through the gateway to real servers found in a real Consul. */
@ExtendWith(ConsulExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayCallsTest {

    private GatewayMesh mesh;

    @BeforeAll
    void start(ConsulAgent consul) {
        mesh = new GatewayMesh(consul, Map.of("gateway.stream-keep-alive", "100ms"));
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void unaryCallAnswersJson() {
        HttpResponse<String> r = mesh.post("/example/Example/Call", "{\"name\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(JsonParser.parseString(r.body())).isEqualTo(JsonParser.parseString("{\"msg\":\"Hello x\"}"));
    }

    @Test
    void grpcServiceByShortOrFullName() {
        assertThat(mesh.post("/probe/Probe/Fail", "{\"message\":\"short\"}").body()).contains("\"text\":\"short\"");
        assertThat(mesh.post("/probe/probe.Probe/Fail", "{\"message\":\"full\"}").body()).contains("\"text\":\"full\"");
    }

    @Test
    void roundRobinAcrossTwoInstances() {
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = mesh.post("/example/Example/Call", "{\"name\":\"rr\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            servedBy.add(r.headers().firstValue("grpc-metadata-meshplay-instance").orElse("none"));
        }
        assertThat(servedBy).containsExactlyInAnyOrder(mesh.servers.get(0).instance().id(), mesh.servers.get(1).instance().id());
    }

    @Test
    void serverStreamAsNdjson() {
        HttpResponse<String> r = mesh.post("/example/Example/Stream", "{\"count\":5}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/x-ndjson");
        List<String> lines = r.body().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(5);
        assertThat(JsonParser.parseString(lines.getFirst()).getAsJsonObject().has("result")).isTrue();
    }

    @Test
    void serverStreamAsServerSentEvents() {
        HttpResponse<String> r = mesh.post("/example/Example/Stream", "{\"count\":3}", "Accept", "text/event-stream");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data).hasSize(3);
        assertThat(JsonParser.parseString(data.getFirst().substring(6)).getAsJsonObject().has("count")).isTrue();
    }

    @Test
    void clientStreamFromNdjson() {
        HttpResponse<String> r = mesh.post("/probe/Probe/Sum", "{\"value\":1}\n\n{\"value\":2}\n{\"value\":39}\n");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JsonParser.parseString(r.body())).isEqualTo(JsonParser.parseString("{\"sum\":\"42\",\"count\":\"3\"}"));
    }

    @Test
    void bidiStreamNdjsonInAndOut() {
        HttpResponse<String> r = mesh.post("/example/Example/PingPong", "{\"stroke\":1}\n{\"stroke\":2}\n{\"stroke\":3}");
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> strokes = r.body().lines().filter(l -> !l.isBlank())
                .map(l -> JsonParser.parseString(l).getAsJsonObject().getAsJsonObject("result").get("stroke").getAsString()).toList();
        assertThat(strokes).containsExactly("1", "2", "3");
    }

    @Test
    void clientThatLeavesCancelsTheServerStream() throws Exception {
        int cancelledBefore = mesh.probe.ticksCancelled.get();
        HttpRequest request = HttpRequest.newBuilder(mesh.uri("/probe/Probe/Ticks"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"intervalMillis\":20}")).build();
        HttpResponse<InputStream> r = mesh.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            List<String> ticks = new ArrayList<>();
            for (String line = in.readLine(); line != null && ticks.size() < 3; line = in.readLine()) {
                if (!line.isBlank()) {
                    ticks.add(line);
                }
            }
            assertThat(ticks).hasSize(3);
        }
        // closing the body closes the connection: the gateway's next write fails and it cancels the call
        await().atMost(Duration.ofSeconds(10)).until(() -> mesh.probe.ticksCancelled.get() > cancelledBefore);
        assertThat(mesh.probe.ticksCancelled.get()).isEqualTo(cancelledBefore + 1);
    }

    @Test
    void selectedHeadersBecomeMetadata() {
        HttpResponse<String> r = mesh.post("/probe/Probe/Headers",
                "{\"names\":[\"x-tenant\",\"authorization\",\"x-request-id\",\"x-forwarded-for\",\"cookie\"]}",
                "Grpc-Metadata-X-Tenant", "blue", "Authorization", "Bearer t0ken", "X-Request-Id", "r-1", "Cookie", "c=1");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject values = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("values");
        assertThat(values.get("x-tenant").getAsString()).isEqualTo("blue");
        assertThat(values.get("authorization").getAsString()).isEqualTo("Bearer t0ken");
        assertThat(values.get("x-request-id").getAsString()).isEqualTo("r-1");
        assertThat(values.get("x-forwarded-for").getAsString()).isEqualTo("127.0.0.1");
        assertThat(values.has("cookie")).as("not on the list").isFalse();
    }

    @Test
    void observeEndpointsOnTheSamePortWithTheGatewaysMetrics() {
        assertThat(mesh.post("/example/Example/Call", "{\"name\":\"m\"}").statusCode()).isEqualTo(200);
        assertThat(mesh.get("/observe/health/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = mesh.get("/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("meshplay_gateway_requests_total{method=\"Example.Call\"")
                .contains("service=\"example\"").contains("status=\"200\"");
        // the gateway is a service of the registry itself
        assertThat(mesh.gateway.server().registry().instances("gateway")).hasSize(1);
    }

    @Test
    void googleApiHttpAnnotationsAddTheirOwnRoutes() {
        HttpResponse<String> get = mesh.get("/v1/items/abc?kind=SMALL&inner.depth=2");
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        JsonObject item = JsonParser.parseString(get.body()).getAsJsonObject();
        assertThat(item.get("id").getAsString()).isEqualTo("abc");
        assertThat(item.get("label").getAsString()).isEqualTo("got abc");
        assertThat(item.get("kind").getAsString()).isEqualTo("SMALL");
        assertThat(item.getAsJsonObject("inner").get("depth").getAsInt()).isEqualTo(2);
        // the additional binding: POST with the whole body as the request
        HttpResponse<String> post = mesh.post("/v1/items", "{\"id\":\"b1\",\"tags\":[\"x\"]}");
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        assertThat(JsonParser.parseString(post.body()).getAsJsonObject().get("label").getAsString()).isEqualTo("got b1");
        HttpResponse<String> none = mesh.get("/v1/nothing/here");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(JsonParser.parseString(none.body()).getAsJsonObject().get("message").getAsString()).contains("no route GET /v1/nothing/here");
    }

    @Test
    void methodsOfAServiceWithTheirInputSchema() {
        HttpResponse<String> r = mesh.get("/_/api/services/probe/methods");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonArray methods = JsonParser.parseString(r.body()).getAsJsonArray();
        JsonObject get = find(methods, "Get");
        assertThat(get.get("grpcService").getAsString()).isEqualTo("probe.Probe");
        assertThat(get.get("path").getAsString()).isEqualTo("/probe/Probe/Get");
        assertThat(get.get("clientStreaming").getAsBoolean()).isFalse();
        assertThat(get.get("inputType").getAsString()).isEqualTo("probe.Item");
        assertThat(get.get("outputType").getAsString()).isEqualTo("probe.Item");
        JsonArray fields = get.getAsJsonObject("input").getAsJsonArray("fields");
        JsonObject kind = field(fields, "kind");
        assertThat(kind.get("type").getAsString()).isEqualTo("enum");
        assertThat(kind.getAsJsonArray("enumValues").toString()).isEqualTo("[\"KIND_UNSPECIFIED\",\"SMALL\",\"LARGE\"]");
        assertThat(field(fields, "tags").get("repeated").getAsBoolean()).isTrue();
        // Item.inner.again.inner: depth 3 described, the fourth level not
        JsonObject again = field(field(fields, "inner").getAsJsonArray("fields"), "again");
        JsonObject innerAgain = field(again.getAsJsonArray("fields"), "inner");
        assertThat(innerAgain.get("type").getAsString()).isEqualTo("message");
        assertThat(innerAgain.has("fields")).isFalse();
        JsonObject sum = find(methods, "Sum");
        assertThat(sum.get("clientStreaming").getAsBoolean()).isTrue();
        assertThat(find(mesh.get("/_/api/services/example/methods").body(), "Call").get("path").getAsString())
                .isEqualTo("/example/Example/Call");
    }

    private static JsonObject find(String body, String method) {
        return find(JsonParser.parseString(body).getAsJsonArray(), method);
    }

    private static JsonObject find(JsonArray methods, String method) {
        for (JsonElement m : methods) {
            if (m.getAsJsonObject().get("method").getAsString().equals(method)) {
                return m.getAsJsonObject();
            }
        }
        throw new AssertionError("no method " + method + " in " + methods);
    }

    private static JsonObject field(JsonArray fields, String name) {
        for (JsonElement f : fields) {
            if (f.getAsJsonObject().get("name").getAsString().equals(name)) {
                return f.getAsJsonObject();
            }
        }
        throw new AssertionError("no field " + name + " in " + fields);
    }
}
