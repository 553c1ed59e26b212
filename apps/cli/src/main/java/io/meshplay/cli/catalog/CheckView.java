package io.meshplay.cli.catalog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One health check of an instance, as the registry reports it.
 *
 * @param id     the check's id
 * @param name   its name
 * @param status {@code passing}, {@code warning} or {@code critical}
 * @param output the check's last output (why it is failing, typically)
 */
public record CheckView(String id, String name, String status, String output) {

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("name", name);
        map.put("status", status);
        map.put("output", output);
        return map;
    }
}
