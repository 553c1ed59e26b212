package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryException;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.Watch;
import io.meshplay.testing.Ports;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Registration, checks and discovery against a real Consul dev agent (1 s check interval). */
@ExtendWith(ConsulExtension.class)
class ConsulRegistryTest {

    /** Check interval (1 s) + 1 s: how long a change may take to reach a watcher. */
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(2);

    @Test
    void registeredInstanceAppearsWithPassingCheckTagsAndMetaAndGoesAfterDeregister(ConsulAgent consul) {
        try (HealthServer server = HealthServer.start();
             Registry registry = Registries.create(TestConfigs.registry(consul, "tags.0", "team-a", "meta.zone", "local"))) {
            server.serving(true);
            ServiceInstance instance = instance("example", server.port());
            registry.register(instance);

            JsonNode entry = await().atMost(Duration.ofSeconds(5)).until(
                    () -> ConsulHttp.json(consul, "/v1/health/service/example?passing"), j -> j.size() == 1).get(0);
            JsonNode service = entry.path("Service");
            assertThat(service.path("ID").asText()).isEqualTo("example-127.0.0.1-" + server.port());
            assertThat(service.path("Address").asText()).isEqualTo("127.0.0.1");
            assertThat(service.path("Port").asInt()).isEqualTo(server.port());
            assertThat(service.path("Tags")).extracting(JsonNode::asText).containsExactly("grpc", "metrics", "v1", "team-a");
            assertThat(service.path("Meta").path("version").asText()).isEqualTo("1.0.0");
            assertThat(service.path("Meta").path("protocol").asText()).isEqualTo("grpc");
            assertThat(service.path("Meta").path("metrics_path").asText()).isEqualTo("/observe/metrics");
            assertThat(service.path("Meta").path("grpc_methods").asText()).isEqualTo("example.Echo/Ping,example.Echo/Stream");
            assertThat(service.path("Meta").path("zone").asText()).isEqualTo("local");
            JsonNode check = serviceCheck(entry);
            assertThat(check.path("Status").asText()).isEqualTo("passing");
            // the check is Consul's own gRPC probe of grpc.health.v1, not something the registry fakes
            assertThat(ConsulHttp.json(consul, "/v1/agent/checks").path(check.path("CheckID").asText())
                    .path("Name").asText()).startsWith("gRPC health");

            assertThat(registry.instances("example")).singleElement()
                    .satisfies(i -> {
                        assertThat(i.id()).isEqualTo(instance.id());
                        assertThat(i.version()).isEqualTo("1.0.0");
                        assertThat(i.metadata()).containsEntry("protocol", "grpc");
                    });
            assertThat(registry.services()).contains("example").doesNotContain("consul");

            registry.deregister(instance);
            assertThat(ConsulHttp.allIds(consul, "example")).isEmpty();
            assertThat(ConsulHttp.agentHas(consul, instance.id())).isFalse();
            await().atMost(VISIBLE_WITHIN).until(() -> registry.instances("example").isEmpty());
            // deregistering twice (or an unknown instance) is not an error
            registry.deregister(instance);
        }
    }

    @Test
    void watchSeesAddAndRemoveWithinCheckIntervalPlusOneSecond(ConsulAgent consul) {
        try (HealthServer a = HealthServer.start(); HealthServer b = HealthServer.start();
             ConsulRegistry registry = TestConfigs.create(consul)) {
            a.serving(true);
            b.serving(true);
            List<List<String>> seen = new CopyOnWriteArrayList<>();
            try (Watch watch = registry.watch("watched", list -> seen.add(ids(list)))) {
                await().atMost(VISIBLE_WITHIN).until(() -> !seen.isEmpty());
                assertThat(seen.getLast()).isEmpty();

                ServiceInstance first = instance("watched", a.port());
                long t0 = System.nanoTime();
                registry.register(first);
                await().atMost(VISIBLE_WITHIN).until(() -> seen.getLast().equals(List.of(first.id())));
                long addMs = (System.nanoTime() - t0) / 1_000_000;

                ServiceInstance second = instance("watched", b.port());
                registry.register(second);
                await().atMost(VISIBLE_WITHIN).until(() -> seen.getLast().size() == 2);

                t0 = System.nanoTime();
                registry.deregister(first);
                await().atMost(VISIBLE_WITHIN).until(() -> seen.getLast().equals(List.of(second.id())));
                long removeMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("watch: add visible after %d ms, remove after %d ms%n", addMs, removeMs);

                // listeners get full lists, and a late listener gets the current one at once
                List<List<String>> late = new CopyOnWriteArrayList<>();
                registry.watch("watched", list -> late.add(ids(list))).close();
                assertThat(late).containsExactly(List.of(second.id()));
                assertThat(ConsulMetrics.count("meshplay.registry.watch.updates", "watched")).isGreaterThanOrEqualTo(4);
            }
            int before = seen.size();
            registry.deregister(instance("watched", b.port()));
            // a closed watch is not told any more; instances() still follows Consul
            await().atMost(VISIBLE_WITHIN).until(() -> registry.instances("watched").isEmpty());
            assertThat(seen).hasSize(before);
        }
    }

    @Test
    void instanceWhoseHealthGoesNotServingStopsBeingReturnedAndComesBack(ConsulAgent consul) {
        try (HealthServer server = HealthServer.start(); ConsulRegistry registry = TestConfigs.create(consul)) {
            server.serving(true);
            ServiceInstance instance = instance("flaky", server.port());
            registry.register(instance);
            await().atMost(VISIBLE_WITHIN).until(() -> ids(registry.instances("flaky")).equals(List.of(instance.id())));

            long t0 = System.nanoTime();
            server.serving(false);
            await().atMost(VISIBLE_WITHIN).until(() -> registry.instances("flaky").isEmpty());
            System.out.printf("NOT_SERVING dropped after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            // still registered, only critical: Consul knows it, discovery does not offer it
            assertThat(ConsulHttp.allIds(consul, "flaky")).containsExactly(instance.id());

            server.serving(true);
            await().atMost(VISIBLE_WITHIN).until(() -> registry.instances("flaky").size() == 1);
            long lookups = ConsulMetrics.count("meshplay.registry.cache.lookups", "flaky");
            registry.instances("flaky");
            assertThat(ConsulMetrics.count("meshplay.registry.cache.lookups", "flaky")).isEqualTo(lookups + 1);
        }
    }

    @Test
    void instanceWhoseProcessIsKilledStopsBeingReturned(ConsulAgent consul) throws Exception {
        try (ServerProcess process = ServerProcess.start(); ConsulRegistry registry = TestConfigs.create(consul)) {
            ServiceInstance instance = instance("killed", process.port());
            registry.register(instance);
            await().atMost(VISIBLE_WITHIN).until(() -> registry.instances("killed").size() == 1);

            long t0 = System.nanoTime();
            process.kill();
            await().atMost(VISIBLE_WITHIN).until(() -> registry.instances("killed").isEmpty());
            System.out.printf("kill -9: dropped from discovery after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            JsonNode entry = ConsulHttp.json(consul, "/v1/health/service/killed").get(0);
            assertThat(serviceCheck(entry).path("Status").asText()).isEqualTo("critical");
        }
    }

    @Test
    void httpCheckProbesTheHealthPathFromMetadata(ConsulAgent consul) throws IOException {
        int port = Ports.free();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        List<String> probed = new CopyOnWriteArrayList<>();
        http.createContext("/custom/ready", exchange -> {
            probed.add(exchange.getRequestURI().getPath());
            byte[] body = "UP".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        try (ConsulRegistry registry = TestConfigs.create(consul, "check.type", "http")) {
            ServiceInstance instance = ServiceInstance.builder().name("http-checked").version("2.0.0").port(port)
                    .metadata(Map.of("health_path", "/custom/ready")).build();
            registry.register(instance);
            await().atMost(VISIBLE_WITHIN).until(() -> registry.instances("http-checked").size() == 1);
            assertThat(probed).contains("/custom/ready");
            http.stop(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.instances("http-checked").isEmpty());
        } finally {
            http.stop(0);
        }
    }

    @Test
    void ttlCheckIsPassedByTheRegistryWhileRegistered(ConsulAgent consul) {
        int port = Ports.free(); // nothing listens: only the registry's heartbeat keeps it healthy
        ServiceInstance instance = instance("ttl-checked", port);
        try (ConsulRegistry registry = TestConfigs.create(consul, "check.type", "ttl")) {
            registry.register(instance);
            // passing at once, not after the first heartbeat
            await().atMost(Duration.ofSeconds(10)).until(() -> ConsulHttp.passingIds(consul, "ttl-checked").size() == 1);
            // and still passing after several TTLs (1 s each)
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(ConsulHttp.passingIds(consul, "ttl-checked")).containsExactly(instance.id());
                return System.nanoTime() > deadline;
            });
        }
        // the registry is closed without deregistering: no heartbeat, so the TTL runs out
        await().atMost(Duration.ofSeconds(10)).until(() -> ConsulHttp.passingIds(consul, "ttl-checked").isEmpty());
    }

    @Test
    void unknownServiceIsEmptyAndClosedRegistryRefuses(ConsulAgent consul) {
        ConsulRegistry registry = TestConfigs.create(consul);
        assertThat(registry.instances("nobody-registered-this")).isEmpty();
        assertThat(registry.type()).isEqualTo("consul");
        registry.close();
        assertThatThrownBy(() -> registry.instances("x")).isInstanceOf(RegistryException.class).hasMessageContaining("closed");
    }

    static ServiceInstance instance(String name, int port) {
        return ServiceInstance.builder()
                .name(name)
                .version("1.0.0")
                .host("127.0.0.1")
                .port(port)
                .tags(List.of("grpc", "metrics", "v1"))
                .metadata(Map.of("version", "1.0.0", "protocol", "grpc", "metrics_path", "/observe/metrics",
                        "health_path", "/observe/health/ready", "grpc_methods", "example.Echo/Ping,example.Echo/Stream"))
                .build();
    }

    static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::id).toList();
    }

    static JsonNode serviceCheck(JsonNode healthEntry) {
        for (JsonNode c : healthEntry.path("Checks")) {
            if (!c.path("ServiceID").asText().isEmpty()) {
                return c;
            }
        }
        throw new AssertionError("no service check in " + healthEntry);
    }
}
