package io.meshplay.registry.consul;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshplay.registry.Intention;
import io.meshplay.registry.RegistryException;

/** Consul's intention JSON (1.8's and 1.9+'s alike) to and from {@link Intention}. */
final class ConsulIntentionJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Consul 1.9+ writes a zero time for intentions kept in config entries, which have no times. */
    private static final int NO_TIME_BEFORE_YEAR = 1970;

    private ConsulIntentionJson() {
    }

    static JsonNode parse(String body, String what) {
        try {
            return JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw new RegistryException("Consul answered " + what + " with something that is not JSON ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The intention, or empty for one this API cannot express: Consul 1.9+ intentions with L7 permissions
     * (written as service-intentions config entries) have no action of their own, only per-request rules.
     */
    static Optional<Intention> intention(JsonNode node) {
        String action = node.path("Action").asText("");
        if (!action.equalsIgnoreCase("allow") && !action.equalsIgnoreCase("deny")) {
            return Optional.empty();
        }
        return Optional.of(new Intention(node.path("SourceName").asText(), node.path("DestinationName").asText(),
                Intention.Action.of(action), node.path("Description").asText(""), text(node, "ID"),
                time(node, "CreatedAt"), time(node, "UpdatedAt")));
    }

    /** The body of a 1.8 create (POST) or update (PUT by id): the whole intention, meta kept from the existing one. */
    static String legacyBody(String source, String destination, Intention.Action action, String description, JsonNode existing) {
        ObjectNode body = JSON.createObjectNode();
        body.put("SourceName", source);
        body.put("DestinationName", destination);
        body.put("SourceType", "consul");
        body.put("Action", action.label());
        body.put("Description", description);
        if (existing != null && existing.path("Meta").isObject()) {
            body.set("Meta", existing.get("Meta"));
        }
        return body.toString();
    }

    /** The body of a 1.9+ upsert ({@code PUT /v1/connect/intentions/exact}): names go in the query. */
    static String exactBody(Intention.Action action, String description) {
        ObjectNode body = JSON.createObjectNode();
        body.put("SourceType", "consul");
        body.put("Action", action.label());
        body.put("Description", description);
        return body.toString();
    }

    static Map<String, String> pair(String source, String destination) {
        return Map.of("source", source, "destination", destination);
    }

    private static Optional<String> text(JsonNode node, String field) {
        String value = node.path(field).asText("");
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<Instant> time(JsonNode node, String field) {
        try {
            return text(node, field).map(Instant::parse).filter(t -> t.isAfter(Instant.parse(NO_TIME_BEFORE_YEAR + "-01-01T00:00:00Z")));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
