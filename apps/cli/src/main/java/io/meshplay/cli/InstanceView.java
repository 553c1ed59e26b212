package io.meshplay.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.meshplay.registry.InstanceCheck;
import io.meshplay.registry.InstanceHealth;
import io.meshplay.registry.ServiceInstance;

/** An inspected instance as {@code describe} shows it: address, version, tags, metadata, checks. */
final class InstanceView {

    private InstanceView() {
    }

    static Map<String, Object> of(InstanceHealth health) {
        ServiceInstance instance = health.instance();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", instance.id());
        map.put("service", instance.name());
        map.put("address", instance.address());
        map.put("host", instance.host());
        map.put("port", instance.port());
        map.put("version", instance.version());
        map.put("status", health.status().label());
        map.put("tags", instance.tags());
        map.put("metadata", new TreeMap<>(instance.metadata()));
        map.put("checks", checks(health.checks()));
        return map;
    }

    private static List<Map<String, Object>> checks(List<InstanceCheck> checks) {
        return checks.stream().map(check -> {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("id", check.id());
            map.put("name", check.name());
            map.put("status", check.status().label());
            map.put("output", check.output());
            return map;
        }).toList();
    }
}
