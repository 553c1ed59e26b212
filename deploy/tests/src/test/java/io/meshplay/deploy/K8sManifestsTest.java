package io.meshplay.deploy;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.meshplay.server.MeshplayServer;
import org.junit.jupiter.api.Test;

import static io.meshplay.deploy.DeployFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

/** deploy/k8s: well-formed objects whose selectors, ports, env, secrets, images and probes line up. */
class K8sManifestsTest {

    private static final Path K8S = DeployFiles.DEPLOY.resolve("k8s");

    private final List<Map<String, Object>> objects = new ArrayList<>();

    K8sManifestsTest() {
        List<String> resources = at(DeployFiles.document(K8S.resolve("kustomization.yaml")), "resources");
        Set<String> files = DeployFiles.yamlFiles(K8S).stream().map(p -> p.getFileName().toString())
                .filter(f -> !f.equals("kustomization.yaml")).collect(Collectors.toSet());
        assertThat(resources).as("kustomization.yaml lists every manifest").containsExactlyInAnyOrderElementsOf(files);
        resources.forEach(r -> objects.addAll(DeployFiles.documents(K8S.resolve(r))));
    }

    private List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(at(o, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @Test
    void everyObjectIsInTheMeshplayNamespace() {
        assertThat(objects).hasSizeGreaterThanOrEqualTo(12);
        objects.forEach(o -> {
            assertThat(o).containsKeys("apiVersion", "kind", "metadata");
            if (!"Namespace".equals(o.get("kind"))) {
                assertThat((String) at(o, "metadata", "namespace")).as(o.get("kind") + " " + at(o, "metadata", "name")).isEqualTo("meshplay");
            }
        });
        assertThat((String) at(named("Namespace", "meshplay"), "metadata", "name")).isEqualTo("meshplay");
    }

    @Test
    void servicesSelectPodsAndTargetNamedContainerPorts() {
        for (Map<String, Object> service : ofKind("Service")) {
            Map<String, Object> selector = at(service, "spec", "selector");
            Map<String, Object> deployment = ofKind("Deployment").stream()
                    .filter(d -> ((Map<?, ?>) at(d, "spec", "template", "metadata", "labels")).entrySet().containsAll(selector.entrySet()))
                    .findFirst().orElseThrow(() -> new AssertionError("no Deployment matches " + selector));
            Map<String, Integer> named = containerPorts(deployment);
            List<Map<String, Object>> ports = at(service, "spec", "ports");
            ports.forEach(p -> assertThat(named).as(service.get("kind") + " " + at(service, "metadata", "name"))
                    .containsKey(String.valueOf(p.get("targetPort"))));
        }
        for (Map<String, Object> d : ofKind("Deployment")) {
            Map<String, Object> match = at(d, "spec", "selector", "matchLabels");
            assertThat((Map<String, Object>) at(d, "spec", "template", "metadata", "labels")).containsAllEntriesOf(match);
        }
    }

    @Test
    void serverProbesTheObserveEndpointsOnTheirPortAndServesGrpcOnItsOwn() {
        Map<String, Object> server = named("Deployment", "server");
        Map<String, Object> container = at(server, "spec", "template", "spec", "containers", 0);
        Map<String, Integer> ports = containerPorts(server);
        Map<String, String> env = plainEnv(container);
        int observe = Integer.parseInt(env.get("SERVER_PORT"));
        int grpc = Integer.parseInt(env.get("GRPC_PORT"));
        assertThat(ports).containsOnly(Map.entry("http", observe), Map.entry("grpc", grpc));
        assertThat(env.get("GRPC_HOST")).isEqualTo("0.0.0.0");
        assertThat(at(container, "readinessProbe", "httpGet", "port").toString()).as("probes the observe port, not gRPC").isEqualTo("http");
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo(MeshplayServer.HEALTH_PATH);
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/observe/health/live");
        assertThat(ports).containsKey(String.valueOf((Object) at(container, "readinessProbe", "httpGet", "port")))
                .containsKey(String.valueOf((Object) at(container, "livenessProbe", "httpGet", "port")));
        assertThat((Integer) at(server, "spec", "replicas")).isEqualTo(2);
        assertThat(env.get("SERVER_HOST")).isEqualTo("0.0.0.0");
    }

    @Test
    void envNamesAreConfigKeysAndReferencesResolve() {
        Set<String> known = DeployFiles.knownConfigKeys();
        Map<String, Map<String, Object>> secrets = new HashMap<>();
        ofKind("Secret").forEach(s -> secrets.put(at(s, "metadata", "name"), at(s, "stringData")));
        int checked = 0;
        for (Map<String, Object> container : containers()) {
            for (Map<String, Object> env : envOf(container)) {
                String name = String.valueOf(env.get("name"));
                if (!DeployFiles.NON_CONFIG_ENV.contains(name)) {
                    assertThat(known).as(name + " -> " + DeployFiles.configKeyOf(name)).contains(DeployFiles.configKeyOf(name));
                    checked++;
                }
                if (env.get("valueFrom") instanceof Map<?, ?> from && from.get("secretKeyRef") instanceof Map<?, ?> ref) {
                    assertThat(secrets).containsKey(String.valueOf(ref.get("name")));
                    assertThat(secrets.get(String.valueOf(ref.get("name")))).containsKey(String.valueOf(ref.get("key")));
                }
                if ("REGISTRY_CONSUL_ADDRESS".equals(name)) {
                    URI consul = URI.create(String.valueOf(env.get("value")));
                    assertThat(servicePorts(consul.getHost())).contains(consul.getPort());
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
        for (Map<String, Object> data : secrets.values()) {
            String connection = String.valueOf(data.get("connection-string"));
            URI queue = URI.create(connection.replaceAll(".*QueueEndpoint=([^;]+);?.*", "$1"));
            assertThat(servicePorts(queue.getHost())).contains(queue.getPort());
        }
    }

    @Test
    void imagesAreTheAppsAndPinnedVersions() {
        String version = DeployFiles.imageVersion();
        Set<String> apps = new java.util.HashSet<>();
        for (Map<String, Object> container : containers()) {
            String image = String.valueOf(container.get("image"));
            assertThat(image).matches(".+:[^:/]+").doesNotEndWith(":latest");
            if (image.startsWith("meshplay/")) {
                String app = image.substring("meshplay/".length(), image.indexOf(':'));
                assertThat(DeployFiles.APPS).contains(app);
                assertThat(image).endsWith(":" + version);
                apps.add(app);
            }
            if (image.contains("azurite")) {
                assertThat(image).endsWith(":" + DeployFiles.azuriteVersion());
            }
        }
        assertThat(apps).containsExactlyInAnyOrder("server", "client-pingpong", "client-stream", "client-azqueue-pub");
    }

    @Test
    void prometheusConfigMapFindsConsulByItsService() {
        String yaml = at(named("ConfigMap", "prometheus"), "data", "prometheus.yml");
        Map<String, Object> config = DeployFiles.documents(yaml, "ConfigMap prometheus").getFirst();
        assertThat(PrometheusConfigs.consulServers(config)).singleElement().satisfies(server -> {
            URI uri = URI.create("http://" + server);
            assertThat(servicePorts(uri.getHost())).contains(uri.getPort());
        });
        Map<String, Object> prometheus = at(named("Deployment", "prometheus"), "spec", "template", "spec");
        List<Map<String, Object>> volumes = at(prometheus, "volumes");
        assertThat(volumes).anySatisfy(v -> assertThat((String) at(v, "configMap", "name")).isEqualTo("prometheus"));
    }

    private List<Map<String, Object>> containers() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            if ("Deployment".equals(o.get("kind")) || "Job".equals(o.get("kind"))) {
                all.addAll(at(o, "spec", "template", "spec", "containers"));
            }
        }
        return all;
    }

    private List<Integer> servicePorts(String name) {
        List<Map<String, Object>> ports = at(named("Service", name), "spec", "ports");
        return ports.stream().map(p -> (Integer) p.get("port")).toList();
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> deployment) {
        Map<String, Integer> ports = new HashMap<>();
        List<Map<String, Object>> containers = at(deployment, "spec", "template", "spec", "containers");
        for (Map<String, Object> c : containers) {
            for (Map<String, Object> p : (List<Map<String, Object>>) c.getOrDefault("ports", List.of())) {
                ports.put(String.valueOf(p.get("name")), (Integer) p.get("containerPort"));
            }
        }
        return ports;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> envOf(Map<String, Object> container) {
        return (List<Map<String, Object>>) container.getOrDefault("env", List.of());
    }

    private static Map<String, String> plainEnv(Map<String, Object> container) {
        Map<String, String> env = new HashMap<>();
        envOf(container).forEach(e -> {
            if (e.containsKey("value")) {
                env.put(String.valueOf(e.get("name")), String.valueOf(e.get("value")));
            }
        });
        return env;
    }
}
