package io.meshplay.observe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;

/**
 * The scrape targets a registry knows: every instance tagged {@value #METRICS_TAG}, one target group
 * per instance so each keeps its own labels (what Consul's {@code consul_sd_configs} gives upstream
 * Prometheus, for builds such as Debian's that lack it).
 */
public final class PrometheusTargets {

    /** Instances with this tag are scraped; the server runtime adds it to every instance. */
    public static final String METRICS_TAG = InstanceMetadata.METRICS_TAG;
    /** Service metadata key holding the metrics path. */
    public static final String METRICS_PATH_META = InstanceMetadata.METRICS_PATH;
    /** Used when an instance has the tag but no {@value #METRICS_PATH_META} metadata. */
    public static final String DEFAULT_METRICS_PATH = InstanceMetadata.DEFAULT_METRICS_PATH;

    private PrometheusTargets() {
    }

    /**
     * One scrape target and its labels.
     *
     * @param target {@code host:port} of the observe endpoints ({@code metrics_port}, else the registered port)
     * @param labels {@code __metrics_path__}, {@code service}, {@code instance} (the instance id), {@code version}
     */
    public record Group(String target, Map<String, String> labels) {
        public Group {
            labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    /** The registry's metrics-tagged healthy instances, sorted by service then instance id. */
    public static List<Group> of(Registry registry) {
        List<Group> groups = new ArrayList<>();
        for (String service : new TreeSet<>(registry.services())) {
            registry.instances(service).stream()
                    .filter(i -> i.tags().contains(METRICS_TAG))
                    .sorted(Comparator.comparing(ServiceInstance::id))
                    .forEach(i -> groups.add(group(i)));
        }
        return groups;
    }

    static Group group(ServiceInstance instance) {
        Map<String, String> labels = new LinkedHashMap<>();
        String path = instance.metadata().get(METRICS_PATH_META);
        labels.put("__metrics_path__", path == null || path.isBlank() ? DEFAULT_METRICS_PATH : path);
        labels.put("service", instance.name());
        labels.put("instance", instance.id());
        labels.put("version", instance.version());
        return new Group(InstanceMetadata.metricsAddress(instance), labels);
    }
}
