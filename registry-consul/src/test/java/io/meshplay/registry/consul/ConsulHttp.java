package io.meshplay.registry.consul;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshplay.testing.consul.ConsulAgent;

/** Reads Consul's HTTP API directly, so tests check what Consul holds, not what our client thinks. */
final class ConsulHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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

    /**
     * Waits until {@code service} has exactly {@code count} passing instances; on timeout the failure carries
     * what the agent holds (its services and checks with their output), so a slow CI run says why.
     */
    static void awaitPassing(ConsulAgent agent, String service, int count, Duration atMost) {
        try {
            org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200))
                    .until(() -> passingIds(agent, service).size() == count);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no " + count + " passing instance(s) of '" + service + "' within " + atMost
                    + "; the agent holds services " + safeGet(agent, "/v1/agent/services")
                    + " and checks " + safeGet(agent, "/v1/agent/checks"), e);
        }
    }

    private static String safeGet(ConsulAgent agent, String path) {
        try {
            return agent.get(path).strip();
        } catch (RuntimeException e) {
            return "(" + path + " failed: " + e.getMessage() + ")";
        }
    }

    /** Service IDs in /v1/health/service/<name>, whatever their checks say. */
    static List<String> allIds(ConsulAgent agent, String service) {
        List<String> ids = new ArrayList<>();
        json(agent, "/v1/health/service/" + service).forEach(e -> ids.add(e.path("Service").path("ID").asText()));
        return ids;
    }

    /**
     * {@code method path} with a JSON body (or none) and the management token on an ACL agent: what an
     * operator or Consul's UI would do beside the code under test. Returns the body of a 2xx answer.
     */
    static String send(ConsulAgent agent, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(agent.httpAddress() + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (agent.aclEnabled()) {
            request.header("X-Consul-Token", agent.managementToken());
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " returned HTTP " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Intentions as Consul holds them: {@code /v1/connect/intentions} read with the management token. */
    static List<JsonNode> intentions(ConsulAgent agent) {
        List<JsonNode> all = new ArrayList<>();
        json(agent, "/v1/connect/intentions").forEach(all::add);
        return all;
    }

    /**
     * An ACL token with only {@code rules} (HCL), made with the management token; for tests of what a
     * token that lacks a permission is told.
     */
    static String tokenWith(ConsulAgent agent, String policyName, String rules) {
        ObjectNode policy = JSON.createObjectNode().put("Name", policyName).put("Rules", rules);
        send(agent, "PUT", "/v1/acl/policy", policy.toString());
        ObjectNode token = JSON.createObjectNode();
        token.putArray("Policies").addObject().put("Name", policyName);
        try {
            return JSON.readTree(send(agent, "PUT", "/v1/acl/token", token.toString())).path("SecretID").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("bad JSON from /v1/acl/token", e);
        }
    }

    /** Whether the agent itself still holds the service (what deregister-after removes). */
    static boolean agentHas(ConsulAgent agent, String id) {
        return json(agent, "/v1/agent/services").has(id);
    }
}
