package io.meshplay.dashboard;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dashboard's page and JSON API against real Consul, Azurite and two example servers. */
@ExtendWith({ConsulExtension.class, AzuriteExtension.class})
class DashboardApiTest {

    private static DashboardFixture mesh;
    private static MeshplayServer first;
    private static MeshplayServer second;

    @BeforeAll
    static void start(ConsulAgent consul, Azurite azurite) {
        mesh = new DashboardFixture(consul, azurite, "dash-" + UUID.randomUUID().toString().substring(0, 8));
        first = mesh.startExample();
        second = mesh.startExample();
    }

    @AfterAll
    static void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void servicesShowBothInstancesWithHealthTransportAndMetadata() throws Exception {
        JsonArray instances = await().atMost(Duration.ofSeconds(20)).until(() -> example(mesh.getJson("/_/dashboard/api/services")),
                list -> list != null && list.size() == 2 && list.asList().stream()
                        .allMatch(i -> "passing".equals(i.getAsJsonObject().get("status").getAsString())));
        List<String> ids = instances.asList().stream().map(i -> i.getAsJsonObject().get("id").getAsString()).toList();
        assertThat(ids).containsExactlyInAnyOrder(first.instance().id(), second.instance().id());
        JsonObject one = instances.get(0).getAsJsonObject();
        assertThat(one.get("transport").getAsString()).isEqualTo("netty");
        assertThat(one.get("tlsMode").getAsString()).isEqualTo("off");
        assertThat(one.getAsJsonArray("tags").asList()).anySatisfy(t -> assertThat(t.getAsString()).isEqualTo("metrics"));
        assertThat(one.getAsJsonObject("metadata").get("grpc_methods").getAsString()).contains("Example/Call");
        assertThat(one.getAsJsonArray("checks")).isNotEmpty();

        String page = mesh.get("/").body();
        assertThat(page).contains("<h3 id=\"service-example\">example").contains(first.instance().id())
                .contains(second.instance().id()).contains("2 instance(s), 2 passing")
                .contains("href=\"http://127.0.0.1:8500/ui/dc1/services/example\"");
    }

    @Test
    void callsPerSecondComeFromEachInstancesMetrics() throws Exception {
        String id = first.instance().id();
        // bounded by awaitility's deadline: every poll makes a few calls, so the counter rises between two scrapes
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            DashboardFixture.call(first, 20);
            JsonObject rates = instance(example(mesh.getJson("/_/dashboard/api/services")), id).getAsJsonObject("callsPerSecond");
            assertThat(rates.has("Example/Call")).as("rates of %s: %s", id, rates).isTrue();
            assertThat(rates.get("Example/Call").getAsDouble()).isPositive();
        });
        // a rate, not a total: once the calls stop it falls back to zero (servers in one JVM share Helidon's meter
        // registry, so which instance served a call cannot be told apart in this test)
        await().atMost(Duration.ofSeconds(10)).until(() -> instance(example(mesh.getJson("/_/dashboard/api/services")), id)
                .getAsJsonObject("callsPerSecond").get("Example/Call").getAsDouble() == 0.0);
    }

    @Test
    void poisonedMessageShowsItsReasonAndReplayPutsItBack() throws Exception {
        String messageId = "poison-" + UUID.randomUUID();
        mesh.publish(messageId, "no greeting here");
        JsonObject queue = await().atMost(Duration.ofSeconds(30)).until(() -> mesh.getJson("/_/dashboard/api/queues")
                .getAsJsonArray("queues").get(0).getAsJsonObject(), q -> q.getAsJsonArray("poisoned").size() == 1);
        JsonObject poisoned = queue.getAsJsonArray("poisoned").get(0).getAsJsonObject();
        assertThat(poisoned.get("messageId").getAsString()).isEqualTo(messageId);
        assertThat(poisoned.get("reason").getAsString()).contains(DashboardFixture.POISON_REASON);
        assertThat(poisoned.get("body").getAsString()).isEqualTo("no greeting here");
        assertThat(queue.get("poisonLength").getAsLong()).isEqualTo(1);

        HttpResponse<String> replay = mesh.post("/_/dashboard/api/queues/" + mesh.queue() + "/replay", "application/json", "{}");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        JsonObject replayed = JsonParser.parseString(replay.body()).getAsJsonObject();
        assertThat(replayed.getAsJsonArray("replayed").get(0).getAsJsonObject().get("messageId").getAsString()).isEqualTo(messageId);
        await().atMost(Duration.ofSeconds(30)).until(() -> mesh.handled().contains(messageId));
        assertThat(mesh.getJson("/_/dashboard/api/queues").getAsJsonArray("queues").get(0).getAsJsonObject()
                .getAsJsonArray("poisoned")).isEmpty();
    }

    @Test
    void purgeNeedsTheQueueNamedInTheBody() throws Exception {
        String messageId = "purge-" + UUID.randomUUID();
        mesh.publish(messageId, "to be purged");
        await().atMost(Duration.ofSeconds(30)).until(() -> mesh.getJson("/_/dashboard/api/queues").getAsJsonArray("queues")
                .get(0).getAsJsonObject().getAsJsonArray("poisoned").asList().stream()
                .anyMatch(p -> messageId.equals(p.getAsJsonObject().get("messageId").getAsString())));
        String purge = "/_/dashboard/api/queues/" + mesh.queue() + "/purge";

        HttpResponse<String> unconfirmed = mesh.post(purge, "application/json", "{}");
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(unconfirmed.body()).contains("{\\\"confirm\\\": \\\"" + mesh.queue() + "-poison\\\"}");
        HttpResponse<String> wrongQueue = mesh.post(purge, "application/json", "{\"confirm\": \"other-poison\"}");
        assertThat(wrongQueue.statusCode()).isEqualTo(400);
        assertThat(mesh.getJson("/_/dashboard/api/queues").getAsJsonArray("queues").get(0).getAsJsonObject()
                .get("poisonLength").getAsLong()).as("nothing deleted without confirmation").isPositive();

        HttpResponse<String> confirmed = mesh.post(purge, "application/json", "{\"confirm\": \"" + mesh.queue() + "-poison\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> mesh.getJson("/_/dashboard/api/queues").getAsJsonArray("queues")
                .get(0).getAsJsonObject().get("poisonLength").getAsLong() == 0);
        assertThat(mesh.handled()).doesNotContain(messageId);
    }

    @Test
    void badRequestsGetAClearJsonError() throws Exception {
        assertError(mesh.post("/_/dashboard/api/queues/not-shown/replay", "application/json", "{}"), 404,
                "'not-shown' is not a queue this dashboard shows");
        assertError(mesh.post("/_/dashboard/api/queues/" + mesh.queue() + "/replay", "text/plain", "{}"), 415,
                "send Content-Type: application/json");
        assertError(mesh.post("/_/dashboard/api/queues/" + mesh.queue() + "/replay", null, "{}"), 415,
                "send Content-Type: application/json");
        assertError(mesh.post("/_/dashboard/api/queues/" + mesh.queue() + "/purge", "application/json", "{not json"), 400,
                "confirm with the body");
        assertError(mesh.post("/_/dashboard/api/queues/" + mesh.queue() + "/purge", "application/json", "[1]"), 400,
                "confirm with the body");
        assertError(mesh.get("/_/dashboard/static/../../etc/passwd"), 404, "");
        assertError(mesh.get("/_/dashboard/static/secret.txt"), 404, "no such file: secret.txt");
        assertError(mesh.get("/_/dashboard/nothing/here"), 404, "no such dashboard resource: GET /_/dashboard/nothing/here");
        assertThat(mesh.get("/_/dashboard/static/dashboard.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    }

    private static void assertError(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (!message.isEmpty()) {
            JsonObject error = JsonParser.parseString(response.body()).getAsJsonObject();
            assertThat(error.get("status").getAsInt()).isEqualTo(status);
            assertThat(error.get("message").getAsString()).contains(message);
        }
    }

    private static JsonArray example(JsonObject services) {
        for (var service : services.getAsJsonArray("services")) {
            if ("example".equals(service.getAsJsonObject().get("name").getAsString())) {
                return service.getAsJsonObject().getAsJsonArray("instances");
            }
        }
        return null;
    }

    private static JsonObject instance(JsonArray instances, String id) {
        return instances.asList().stream().map(i -> i.getAsJsonObject()).filter(i -> id.equals(i.get("id").getAsString()))
                .findFirst().orElseThrow(() -> new AssertionError("no instance " + id + " in " + instances));
    }
}
