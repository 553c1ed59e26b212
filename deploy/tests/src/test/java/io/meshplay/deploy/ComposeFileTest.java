package io.meshplay.deploy;

import java.net.URI;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.meshplay.server.MeshplayServer;
import org.junit.jupiter.api.Test;

import static io.meshplay.deploy.DeployFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/compose/docker-compose.yml refers to things that exist: images built from the Dockerfile for
 * real apps, env names that are config keys, the ports and host names of the services it names.
 */
class ComposeFileTest {

    private final Map<String, Object> compose = DeployFiles.document(DeployFiles.DEPLOY.resolve("compose/docker-compose.yml"));
    private final Map<String, Map<String, Object>> services = at(compose, "services");

    @Test
    void appImagesAreBuiltFromTheDockerfileForRealApps() {
        String version = DeployFiles.imageVersion();
        Set<String> built = new HashSet<>();
        services.forEach((name, service) -> {
            if (!service.containsKey("build")) {
                return;
            }
            String dockerfile = at(service, "build", "dockerfile");
            String context = at(service, "build", "context");
            assertThat(DeployFiles.DEPLOY.resolve("compose").resolve(context).normalize()).as(name + " build context").isEqualTo(DeployFiles.ROOT);
            assertThat(DeployFiles.ROOT.resolve(dockerfile)).as(name + " dockerfile").isRegularFile();
            String app = at(service, "build", "args", "APP");
            assertThat(DeployFiles.APPS).as(name + " APP").contains(app);
            assertThat(DeployFiles.ROOT.resolve("apps/" + app + "/pom.xml")).isRegularFile();
            assertThat((String) at(service, "image")).as(name + " image").isEqualTo("meshplay/" + app + ":" + version);
            built.add(app);
        });
        assertThat(built).containsExactlyInAnyOrder("server", "client-pingpong", "client-stream", "client-azqueue-pub");
        assertThat(services.keySet()).contains("server-1", "server-2", "consul", "azurite", "prometheus");
    }

    @Test
    void thirdPartyImagesArePinnedAndAzuriteMatchesTheLocalOne() {
        services.forEach((name, service) -> {
            String image = at(service, "image");
            assertThat(image).as(name).matches(".+:[^:/]+").doesNotEndWith(":latest");
        });
        assertThat((String) at(services.get("azurite"), "image")).endsWith(":" + DeployFiles.azuriteVersion());
    }

    @Test
    void environmentNamesAreConfigKeys() {
        Set<String> known = DeployFiles.knownConfigKeys();
        services.forEach((name, service) -> {
            Map<String, Object> env = environment(service);
            env.keySet().forEach(var -> {
                if (!DeployFiles.NON_CONFIG_ENV.contains(var)) {
                    assertThat(known).as(name + ": " + var + " -> " + DeployFiles.configKeyOf(var)).contains(DeployFiles.configKeyOf(var));
                }
            });
        });
    }

    @Test
    void addressesPointAtServicesOnTheirPorts() {
        String consulAddress = String.valueOf(environment(services.get("server-1")).get("REGISTRY_CONSUL_ADDRESS"));
        URI consul = URI.create(consulAddress);
        assertThat(services).containsKey(consul.getHost());
        assertThat(containerPorts(services.get(consul.getHost()))).contains(consul.getPort());

        String connection = String.valueOf(environment(services.get("server-1")).get("BROKER_AZQUEUE_CONNECTION_DASH_STRING"));
        URI queue = URI.create(connection.replaceAll(".*QueueEndpoint=([^;]+);?.*", "$1"));
        assertThat(services).containsKey(queue.getHost());
        List<String> azurite = at(services.get(queue.getHost()), "command");
        assertThat(azurite.get(azurite.indexOf("--queuePort") + 1)).isEqualTo(String.valueOf(queue.getPort()));
        assertThat(containerPorts(services.get(queue.getHost()))).contains(queue.getPort());

        for (String server : List.of("server-1", "server-2")) {
            Map<String, Object> s = services.get(server);
            Map<String, Object> env = environment(s);
            int port = Integer.parseInt(String.valueOf(env.get("SERVER_PORT")));
            int grpc = Integer.parseInt(String.valueOf(env.get("GRPC_PORT")));
            assertThat(containerPorts(s)).as(server).contains(port, grpc);
            assertThat(grpc).as(server + ": gRPC and the observe endpoints on different ports").isNotEqualTo(port);
            assertThat(env.get("GRPC_HOST")).as(server + " accepts gRPC from other containers").isEqualTo("0.0.0.0");
            assertThat(env.get("SERVICE_ADVERTISE_DASH_HOST")).as(server + " registers the name others reach it by")
                    .isEqualTo(s.getOrDefault("hostname", server));
            List<String> health = at(s, "healthcheck", "test");
            assertThat(health).as(server + " healthcheck").containsExactly("CMD", "meshplay-healthcheck", String.valueOf(port));
        }
        assertThat(DeployFiles.read(DeployFiles.DEPLOY.resolve("docker/healthcheck"))).contains("GET " + MeshplayServer.HEALTH_PATH + " ");
    }

    @Test
    void startOrderWaitsOnlyForServicesWithHealthChecks() {
        services.forEach((name, service) -> {
            Object deps = service.get("depends_on");
            if (deps instanceof Map<?, ?> map) {
                map.forEach((dep, cond) -> {
                    assertThat(services).as(name + " depends on " + dep).containsKey(String.valueOf(dep));
                    assertThat((String) at(cond, "condition")).isEqualTo("service_healthy");
                    assertThat(services.get(String.valueOf(dep))).as(dep + " needs a healthcheck").containsKey("healthcheck");
                });
            }
        });
        assertThat(services.get("client-pingpong")).containsKey("depends_on");
    }

    @Test
    void publishedPortsAreDistinctAndPrometheusMountsItsConfig() {
        Set<String> hostPorts = new HashSet<>();
        services.forEach((name, service) -> {
            for (Object p : (List<?>) service.getOrDefault("ports", List.of())) {
                // "${MESHPLAY_PUBLISH_IP-0.0.0.0}:${MESHPLAY_X_PORT-8500}:8500": as a user gets it, with the defaults
                String[] parts = withDefaults(String.valueOf(p)).split(":");
                assertThat(parts).as(name + " " + p).hasSize(3);
                assertThat(parts[0]).isEqualTo("0.0.0.0");
                assertThat(hostPorts.add(parts[1])).as(name + " publishes " + p + " twice").isTrue();
            }
        });
        assertThat(hostPorts).contains("8500", "9090", "10001");
        List<String> volumes = at(services.get("prometheus"), "volumes");
        String source = volumes.getFirst().split(":")[0];
        assertThat(DeployFiles.DEPLOY.resolve("compose").resolve(source)).isRegularFile();
        assertThat(PrometheusConfigs.consulServers(DeployFiles.document(DeployFiles.DEPLOY.resolve("compose").resolve(source))))
                .allSatisfy(server -> {
                    URI uri = URI.create("http://" + server);
                    assertThat(services).containsKey(uri.getHost());
                    assertThat(containerPorts(services.get(uri.getHost()))).contains(uri.getPort());
                });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        return (Map<String, Object>) service.getOrDefault("environment", Map.of());
    }

    /** Compose's ${VAR-default} with every variable unset. */
    private static String withDefaults(String value) {
        return value.replaceAll("\\$\\{[A-Z0-9_]+-([^}]*)}", "$1");
    }

    @Test
    void localOverrideOnlySwapsThirdPartyImagesAndPrometheusConfig() {
        Map<String, Object> local = DeployFiles.document(DeployFiles.DEPLOY.resolve("compose/docker-compose.local.yml"));
        Map<String, Map<String, Object>> overridden = at(local, "services");
        assertThat(overridden.keySet()).containsExactlyInAnyOrder("consul", "azurite", "prometheus");
        overridden.forEach((name, service) -> {
            assertThat(services).containsKey(name);
            assertThat((String) at(service, "image")).startsWith("localhost/meshplay-local/" + name + ":");
            assertThat(service.keySet()).as(name).isSubsetOf("image", "volumes");
        });
        // same mount target as the base file's, which podman-compose then replaces
        List<String> volumes = at(overridden.get("prometheus"), "volumes");
        String[] mount = volumes.getFirst().split(":");
        assertThat(mount[1]).isEqualTo(((List<String>) at(services.get("prometheus"), "volumes")).getFirst().split(":")[1]);
        assertThat(DeployFiles.DEPLOY.resolve("compose").resolve(mount[0])).isRegularFile();
        assertThat(DeployFiles.read(DeployFiles.DEPLOY.resolve("compose").resolve(mount[0]))).contains("http://server-1:8080/observe/prometheus-sd");
    }

    private static Set<Integer> containerPorts(Map<String, Object> service) {
        Set<Integer> ports = new HashSet<>();
        for (Object p : (List<?>) service.getOrDefault("ports", List.of())) {
            String[] parts = String.valueOf(p).split(":");
            ports.add(Integer.parseInt(parts[parts.length - 1]));
        }
        return ports;
    }

    @Test
    void everyYamlUnderDeployParses() {
        var files = DeployFiles.yamlFiles(DeployFiles.DEPLOY);
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        files.forEach(f -> assertThat(DeployFiles.documents(f)).as(f.toString()).isNotEmpty());
        assertThat(Files.exists(DeployFiles.DEPLOY.resolve("k8s/README.md"))).isTrue();
    }
}
