package io.meshplay.testing.zipkin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One span as Zipkin's v2 query API returns it.
 *
 * @param traceId           32 (or 16) lower-case hex digits
 * @param id                16 hex digits
 * @param parentId          the parent span's id, null for a root span
 * @param name              the span name; Zipkin lower-cases names and omits empty ones (then "")
 * @param kind              CLIENT, SERVER, PRODUCER, CONSUMER, or null when the span has none
 * @param serviceName       localEndpoint.serviceName (lower-cased by Zipkin), null if the span has none
 * @param remoteServiceName remoteEndpoint.serviceName, null if absent
 * @param timestamp         start, epoch microseconds (0 if absent)
 * @param duration          microseconds (0 if absent)
 * @param tags              the span's tags, sorted by key
 * @param annotations       the annotations' values, in timestamp order
 */
public record ZipkinSpan(String traceId, String id, String parentId, String name, String kind, String serviceName,
                         String remoteServiceName, long timestamp, long duration, Map<String, String> tags,
                         List<String> annotations) {

    public ZipkinSpan {
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
        annotations = List.copyOf(annotations);
    }

    /** Whether this span has no parent. */
    public boolean isRoot() {
        return parentId == null;
    }

    /** Parses one element of a v2 span list. */
    public static ZipkinSpan of(JsonObject span) {
        Map<String, String> tags = new TreeMap<>();
        if (span.has("tags")) {
            span.getAsJsonObject("tags").entrySet().forEach(t -> tags.put(t.getKey(), t.getValue().getAsString()));
        }
        List<String> annotations = new ArrayList<>();
        if (span.has("annotations")) {
            for (JsonElement a : span.getAsJsonArray("annotations")) {
                annotations.add(string(a.getAsJsonObject(), "value"));
            }
        }
        return new ZipkinSpan(string(span, "traceId"), string(span, "id"), string(span, "parentId"),
                span.has("name") ? string(span, "name") : "", string(span, "kind"),
                endpointService(span, "localEndpoint"), endpointService(span, "remoteEndpoint"),
                number(span, "timestamp"), number(span, "duration"), tags, annotations);
    }

    private static String endpointService(JsonObject span, String endpoint) {
        return span.has(endpoint) && span.get(endpoint).isJsonObject()
                ? string(span.getAsJsonObject(endpoint), "serviceName") : null;
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static long number(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? 0 : e.getAsLong();
    }
}
