package io.meshplay.registry.consul;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import io.meshplay.registry.RegistryException;

/**
 * Plain HTTP calls to Consul's API for what the consul-client library has no method for (intentions), with
 * the registry's address, ACL token (a header, never in the URL), datacenter and request timeout. Answers
 * come back whatever their status, for the caller to read; only the network failing throws.
 */
final class ConsulHttpCalls {

    /** Consul's answer: the status and the body as text. */
    record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final ConsulRegistryOptions options;
    private final HttpClient http;

    ConsulHttpCalls(ConsulRegistryOptions options) {
        this.options = options;
        this.http = HttpClient.newBuilder()
                .connectTimeout(options.requestTimeout())
                // a redirect means a name walked the path somewhere else: report it, do not follow it
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * @param path  e.g. {@code /v1/connect/intentions}; names in it must already be safe in a path
     * @param query parameters, encoded here; {@code dc} is added when the registry has a datacenter
     * @param json  the request body, or null for none
     * @throws IOException when Consul could not be reached or did not answer in time
     */
    Answer send(String method, String path, Map<String, String> query, String json) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>(query);
        options.datacenter().ifPresent(dc -> parameters.put("dc", dc));
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((k, v) -> q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path + q))
                .timeout(options.requestTimeout())
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (options.token().present()) {
            request.header("X-Consul-Token", options.token().value());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while waiting for Consul at " + options.address());
        }
    }

    private String base() {
        String address = options.address().toString();
        return address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    }
}
