package io.meshplay.registry.consul;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshplay.testing.consul.ConsulAgent;

/** Reads Consul's HTTP API directly, so tests check what Consul holds, not what our client thinks. */
final class ConsulHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsulHttp() {
    }

    static JsonNode json(ConsulAgent agent, String path) {
        try {
            return JSON.readTree(agent.get(path));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("bad JSON from " + path, e);
        }
    }

    /** Service IDs in /v1/health/service/<name>?passing. */
    static List<String> passingIds(ConsulAgent agent, String service) {
        List<String> ids = new ArrayList<>();
        json(agent, "/v1/health/service/" + service + "?passing").forEach(e -> ids.add(e.path("Service").path("ID").asText()));
        return ids;
    }

    /** Service IDs in /v1/health/service/<name>, whatever their checks say. */
    static List<String> allIds(ConsulAgent agent, String service) {
        List<String> ids = new ArrayList<>();
        json(agent, "/v1/health/service/" + service).forEach(e -> ids.add(e.path("Service").path("ID").asText()));
        return ids;
    }

    /** Whether the agent itself still holds the service (what deregister-after removes). */
    static boolean agentHas(ConsulAgent agent, String id) {
        return json(agent, "/v1/agent/services").has(id);
    }
}
