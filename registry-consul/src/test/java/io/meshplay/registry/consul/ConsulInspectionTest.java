package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.meshplay.registry.HealthStatus;
import io.meshplay.registry.InstanceCheck;
import io.meshplay.registry.InstanceHealth;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryException;
import io.meshplay.registry.RegistryInspection;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.testing.Ports;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry's inspection against a real Consul: every instance, critical ones too, with Consul's checks. */
@ExtendWith(ConsulExtension.class)
class ConsulInspectionTest {

    @Test
    void showsPassingAndCriticalInstancesWithTheirChecks(ConsulAgent consul) {
        try (HealthServer server = HealthServer.start(); Registry registry = Registries.create(TestConfigs.registry(consul))) {
            server.serving(true);
            ServiceInstance live = ConsulRegistryTest.instance("inspected", server.port());
            // registered, but nothing serves its port: Consul's gRPC check stays critical
            ServiceInstance dead = ConsulRegistryTest.instance("inspected", Ports.free());
            registry.register(live);
            registry.register(dead);
            RegistryInspection inspection = registry.inspection().orElseThrow();

            // the live one is registered passing (the registry ran Consul's check first), the dead one critical
            List<InstanceHealth> instances = await().atMost(Duration.ofSeconds(5)).until(() -> inspection.instances("inspected"),
                    list -> list.stream().anyMatch(i -> i.status() == HealthStatus.PASSING));

            assertThat(instances).extracting(InstanceHealth::id).isSortedAccordingTo(String::compareTo)
                    .containsExactlyInAnyOrder(live.id(), dead.id());
            InstanceHealth liveHealth = byId(instances, live.id());
            assertThat(liveHealth.instance()).isEqualTo(live);
            assertThat(liveHealth.status()).isEqualTo(HealthStatus.PASSING);
            assertThat(serviceCheck(liveHealth).name()).isEqualTo("gRPC health " + live.address());
            // Consul's own words once it has run the check with a change to report, until then the first check's notes
            assertThat(serviceCheck(liveHealth).output()).as("what the check said").isNotBlank();
            assertThat(liveHealth.checks()).as("the node's check counts for the instance too")
                    .anySatisfy(c -> assertThat(c.id()).isEqualTo("serfHealth"));
            InstanceHealth deadHealth = byId(instances, dead.id());
            assertThat(deadHealth.status()).isEqualTo(HealthStatus.CRITICAL);
            assertThat(serviceCheck(deadHealth).status()).isEqualTo(HealthStatus.CRITICAL);

            assertThat(inspection.services()).contains("inspected").doesNotContain("consul");
            assertThat(inspection.description()).isEqualTo("Consul at " + consul.httpAddress());
            await().atMost(Duration.ofSeconds(5)).until(() -> ConsulRegistryTest.ids(registry.instances("inspected")),
                    ids -> ids.equals(List.of(live.id())));
            assertThat(inspection.instances("nobody-registered-this")).isEmpty();
            registry.deregister(live);
            registry.deregister(dead);
        }
    }

    @Test
    void aServiceRegisteredWithoutAddressHasItsNodesAddress(ConsulAgent consul) throws Exception {
        // registered by something other than meshplay, the way Consul allows: no Address field
        put(consul, "/v1/agent/service/register", "{\"ID\":\"foreign-1\",\"Name\":\"foreign\",\"Port\":7000}");
        try (Registry registry = Registries.create(TestConfigs.registry(consul))) {
            String nodeAddress = ConsulHttp.json(consul, "/v1/health/service/foreign").get(0).path("Node").path("Address").asText();

            InstanceHealth foreign = registry.inspection().orElseThrow().instances("foreign").getFirst();

            assertThat(foreign.instance().host()).isNotBlank().isEqualTo(nodeAddress);
            assertThat(foreign.instance().port()).isEqualTo(7000);
            assertThat(foreign.status()).as("no service check, a passing node").isEqualTo(HealthStatus.PASSING);
        } finally {
            put(consul, "/v1/agent/service/deregister/foreign-1", "");
        }
    }

    @Test
    void aRedirectIsASentenceWithoutConsulsHtml(ConsulAgent consul) {
        try (Registry registry = Registries.create(TestConfigs.registry(consul))) {
            RegistryInspection inspection = registry.inspection().orElseThrow();

            // Go's router cleans the path (%2F is '/' to it) and answers 301 with an HTML page; the client
            // follows it to a path Consul does not know (404, empty body): either way one sentence
            assertThatThrownBy(() -> inspection.instances("../../v1/agent/self")).isInstanceOf(RegistryException.class)
                    .hasMessageMatching("Consul at " + consul.httpAddress().replace(".", "\\.") + " (answered|found nothing to) "
                            + "inspect service '\\.\\./\\.\\./v1/agent/self'.* \\(HTTP (301|404)\\).*")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase("<a href").doesNotContain("Moved"));
        }
    }

    @Test
    void withoutAclsNothingHidesServices(ConsulAgent consul) {
        try (Registry registry = Registries.create(TestConfigs.registry(consul))) {
            assertThat(registry.inspection().orElseThrow().hidingNote()).isEmpty();
        }
    }

    @Test
    void anUnreachableAgentIsToldWithTheKeyThatSetsItsAddress() {
        String address = "http://127.0.0.1:" + Ports.free();
        Config config = Config.just(ConfigSources.create(Map.of("registry.type", "consul",
                "registry.consul.address", address, "registry.consul.request-timeout", "1s"))).get("registry");
        try (Registry registry = Registries.create(config)) {
            RegistryInspection inspection = registry.inspection().orElseThrow();

            assertThatThrownBy(inspection::services).isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("cannot reach Consul at " + address + " (registry.consul.address) to list services: ")
                    .hasMessageEndingWith("connection refused (is the agent running there?)");
            assertThatThrownBy(() -> inspection.instances("example")).isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith("cannot reach Consul at " + address + " (registry.consul.address) to inspect service 'example'");
        }
    }

    @Test
    void endsWithItsRegistry(ConsulAgent consul) {
        Registry registry = Registries.create(TestConfigs.registry(consul));
        RegistryInspection inspection = registry.inspection().orElseThrow();

        registry.close();

        assertThatThrownBy(inspection::services).isInstanceOf(RegistryException.class).hasMessageContaining("closed");
    }

    private static InstanceHealth byId(List<InstanceHealth> instances, String id) {
        return instances.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    /** The instance's own check, as opposed to the node's serfHealth. */
    private static InstanceCheck serviceCheck(InstanceHealth health) {
        return health.checks().stream().filter(c -> !c.id().equals("serfHealth")).findFirst().orElseThrow();
    }

    private static void put(ConsulAgent consul, String path, String body) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(consul.httpAddress() + path))
                    .timeout(Duration.ofSeconds(5)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        }
    }
}
