package io.meshplay.deploy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.meshplay.observe.PrometheusSdService;
import io.meshplay.observe.PrometheusTargets;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.testing.prometheus.PrometheusProcess;
import org.junit.jupiter.api.Test;

import static io.meshplay.deploy.DeployFiles.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two discovery paths give Prometheus the same targets and labels: consul_sd with relabelling
 * (deploy/prometheus/prometheus.yml and its compose and k8s copies) and the servers' http_sd endpoint
 * (deploy/prometheus/prometheus-http-sd.yml).
 */
class PrometheusConfigTest {

    private final Map<String, Object> upstream = DeployFiles.document(DeployFiles.DEPLOY.resolve("prometheus/prometheus.yml"));

    @Test
    void consulSdSelectsTheMetricsTagAndRelabelsWhatServersRegister() {
        Map<String, Object> job = PrometheusConfigs.job(upstream);
        List<Map<String, Object>> sd = at(job, "consul_sd_configs");
        assertThat(sd).singleElement().satisfies(s -> {
            assertThat((List<String>) at(s, "tags")).containsExactly(PrometheusTargets.METRICS_TAG);
            assertThat(String.valueOf(s.get("server"))).isEqualTo("127.0.0.1:8500");
        });
        List<Map<String, Object>> relabel = at(job, "relabel_configs");
        Map<String, String> sourceByTarget = new java.util.HashMap<>();
        relabel.forEach(r -> sourceByTarget.put(String.valueOf(r.get("target_label")), ((List<?>) r.get("source_labels")).getFirst().toString()));
        assertThat(sourceByTarget).containsEntry("__metrics_path__",
                        "__meta_consul_service_metadata_" + PrometheusTargets.METRICS_PATH_META)
                .containsEntry("service", "__meta_consul_service")
                .containsEntry("instance", "__meta_consul_service_id")
                .containsEntry("version", "__meta_consul_service_metadata_version");

        assertThat(sourceByTarget).containsEntry("__address__", "__meta_consul_service_address");

        // the address rule, applied as Prometheus does (anchored regex over the joined source labels), scrapes
        // the observe port that http_sd lists too; an instance without metrics_port keeps its registered address
        Map<String, Object> address = relabel.stream().filter(r -> "__address__".equals(r.get("target_label"))).findFirst().orElseThrow();
        assertThat((List<Object>) address.get("source_labels")).containsExactly("__meta_consul_service_address",
                "__meta_consul_service_metadata_" + io.meshplay.registry.InstanceMetadata.METRICS_PORT);
        java.util.regex.Pattern regex = java.util.regex.Pattern.compile("^(?:" + address.get("regex") + ")$");
        String replacement = String.valueOf(address.get("replacement"));
        java.util.function.Function<String, String> relabelled = joined -> {
            java.util.regex.Matcher m = regex.matcher(joined);
            return m.matches() ? m.replaceFirst(replacement) : null;
        };
        assertThat(relabelled.apply("10.1.2.3;9464")).isEqualTo("10.1.2.3:9464");
        assertThat(relabelled.apply("10.1.2.3;")).as("no metrics_port: the address stays").isNull();

        // http_sd labels the same way, so dashboards work with either
        ServiceInstance sample = ServiceInstance.builder().name("example").version("1").host("10.1.2.3").port(50051)
                .tags(List.of("metrics")).metadata(Map.of("metrics_path", "/observe/metrics", "metrics_port", "9464")).build();
        try (io.meshplay.registry.memory.MemoryRegistry registry = new io.meshplay.registry.memory.MemoryRegistry()) {
            registry.register(sample);
            PrometheusTargets.Group group = PrometheusTargets.of(registry).getFirst();
            assertThat(group.target()).isEqualTo(relabelled.apply("10.1.2.3;9464"));
            Set<String> httpSdLabels = new TreeSet<>(group.labels().keySet());
            httpSdLabels.add("__address__"); // http_sd's target is the address itself
            assertThat(httpSdLabels).isEqualTo(new TreeSet<>(sourceByTarget.keySet()));
        }
    }

    @Test
    void composeAndK8sCopiesRelabelTheSame() {
        Object relabel = at(PrometheusConfigs.job(upstream), "relabel_configs");
        Map<String, Object> compose = DeployFiles.document(DeployFiles.DEPLOY.resolve("compose/prometheus.yml"));
        assertThat((Object) at(PrometheusConfigs.job(compose), "relabel_configs")).isEqualTo(relabel);
        String k8sYaml = DeployFiles.documents(DeployFiles.DEPLOY.resolve("k8s/prometheus.yaml")).stream()
                .filter(d -> "ConfigMap".equals(d.get("kind"))).map(d -> (String) at(d, "data", "prometheus.yml"))
                .findFirst().orElseThrow();
        Map<String, Object> k8s = DeployFiles.documents(k8sYaml, "k8s ConfigMap").getFirst();
        assertThat((Object) at(PrometheusConfigs.job(k8s), "relabel_configs")).isEqualTo(relabel);
        assertThat((Object) at(PrometheusConfigs.job(k8s), "consul_sd_configs", 0, "tags"))
                .isEqualTo(at(PrometheusConfigs.job(compose), "consul_sd_configs", 0, "tags"));
    }

    @Test
    void httpSdTemplatePointsAtTheServersEndpoint() {
        String template = DeployFiles.read(DeployFiles.DEPLOY.resolve("prometheus/prometheus-http-sd.yml"));
        assertThat(template).contains("__SERVER_PORT__");
        Map<String, Object> config = DeployFiles.documents(template.replace("__SERVER_PORT__", "8080"), "http-sd").getFirst();
        String url = at(PrometheusConfigs.job(config), "http_sd_configs", 0, "url");
        assertThat(URI.create(url).getPath()).isEqualTo(PrometheusSdService.PATH);
        // the demo fills the template in with sed: it must name the placeholder the demo replaces
        assertThat(DeployFiles.read(DeployFiles.DEPLOY.resolve("local/demo"))).contains("s/__SERVER_PORT__/")
                .contains("deploy/prometheus/prometheus-http-sd.yml");
        // and the end-to-end test's generated config has the same shape
        Map<String, Object> test = DeployFiles.documents(PrometheusProcess.config("http://127.0.0.1:1" + PrometheusSdService.PATH), "test").getFirst();
        assertThat(((Map<?, ?>) at(PrometheusConfigs.job(test), "http_sd_configs", 0)).keySet())
                .isEqualTo(((Map<?, ?>) at(PrometheusConfigs.job(config), "http_sd_configs", 0)).keySet());
    }
}
