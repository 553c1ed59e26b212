package io.meshplay.cli.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshplay.registry.ServiceInstance;

/**
 * An instance with its health: what {@code services}, {@code describe} and {@code health} show.
 *
 * @param instance the registered instance
 * @param status   the worst of its checks ({@link Health})
 * @param checks   its checks; empty when the registry does not report any
 */
public record InstanceView(ServiceInstance instance, String status, List<CheckView> checks) {

    public InstanceView {
        checks = List.copyOf(checks);
    }

    public String id() {
        return instance.id();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", instance.id());
        map.put("service", instance.name());
        map.put("address", instance.address());
        map.put("host", instance.host());
        map.put("port", instance.port());
        map.put("version", instance.version());
        map.put("status", status);
        map.put("tags", instance.tags());
        map.put("metadata", new java.util.TreeMap<>(instance.metadata()));
        map.put("checks", checks.stream().map(CheckView::toMap).toList());
        return map;
    }
}
