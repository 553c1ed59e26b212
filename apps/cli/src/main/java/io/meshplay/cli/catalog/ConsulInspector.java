package io.meshplay.cli.catalog;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.meshplay.cli.CliException;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.consul.ConsulRegistryOptions;

/**
 * Consul's HTTP API read directly, for what the Registry API hides on purpose: unhealthy instances and
 * the checks with their output. Same address, token and datacenter as the {@code consul} registry
 * ({@code registry.consul.*}, falling back to {@code CONSUL_HTTP_ADDR} / {@code CONSUL_HTTP_TOKEN}).
 */
public final class ConsulInspector implements Catalog {

    private static final String TOKEN_HEADER = "X-Consul-Token";

    private final ConsulRegistryOptions options;
    private final HttpClient http;

    public ConsulInspector(ConsulRegistryOptions options) {
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(options.requestTimeout()).build();
    }

    @Override
    public SortedSet<String> services() {
        JsonObject services = get("/v1/catalog/services").getAsJsonObject();
        TreeSet<String> names = new TreeSet<>(services.keySet());
        names.remove("consul"); // Consul's own server entry, as the registry plug-in does
        return names;
    }

    /** Every instance with every check, passing or not ({@code /v1/health/service/<name>} without {@code ?passing}). */
    @Override
    public List<InstanceView> instances(String service) {
        JsonArray entries = get("/v1/health/service/" + URLEncoder.encode(service, StandardCharsets.UTF_8)).getAsJsonArray();
        List<InstanceView> out = new ArrayList<>();
        for (JsonElement element : entries) {
            JsonObject entry = element.getAsJsonObject();
            JsonObject s = entry.getAsJsonObject("Service");
            String host = text(s, "Address");
            if (host.isBlank()) {
                host = text(entry.getAsJsonObject("Node"), "Address");
            }
            Map<String, String> meta = new LinkedHashMap<>();
            if (s.get("Meta") instanceof JsonObject m) {
                m.entrySet().forEach(e -> meta.put(e.getKey(), e.getValue().isJsonNull() ? "" : e.getValue().getAsString()));
            }
            List<String> tags = new ArrayList<>();
            if (s.get("Tags") instanceof JsonArray t) {
                t.forEach(tag -> tags.add(tag.getAsString()));
            }
            ServiceInstance instance = ServiceInstance.builder()
                    .id(text(s, "ID")).name(text(s, "Service")).version(meta.getOrDefault("version", ""))
                    .host(host).port(s.get("Port").getAsInt()).tags(tags).metadata(meta).build();
            List<CheckView> checks = new ArrayList<>();
            if (entry.get("Checks") instanceof JsonArray cs) {
                for (JsonElement c : cs) {
                    JsonObject check = c.getAsJsonObject();
                    checks.add(new CheckView(text(check, "CheckID"), text(check, "Name"), text(check, "Status"),
                            text(check, "Output").strip()));
                }
            }
            out.add(new InstanceView(instance, Health.worst(checks.stream().map(CheckView::status).toList()), checks));
        }
        out.sort(Comparator.comparing(InstanceView::id));
        return out;
    }

    @Override
    public String source() {
        return "Consul at " + options.address();
    }

    @Override
    public void close() {
        http.close();
    }

    private JsonElement get(String path) {
        String query = options.datacenter().map(dc -> "?dc=" + URLEncoder.encode(dc, StandardCharsets.UTF_8)).orElse("");
        URI uri = URI.create(options.address().toString().replaceAll("/+$", "") + path + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(options.requestTimeout()).GET();
        if (options.token().present()) {
            request.header(TOKEN_HEADER, options.token().value());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw CliException.failed("cannot reach Consul at " + options.address() + " (registry.consul.address): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted while asking Consul", e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw CliException.failed("Consul at " + options.address() + " refused " + path + " (HTTP " + response.statusCode()
                    + "): set an ACL token with read access in registry.consul.token or CONSUL_HTTP_TOKEN");
        }
        if (response.statusCode() != 200) {
            throw CliException.failed("Consul at " + options.address() + " answered " + path + " with HTTP "
                    + response.statusCode() + ": " + response.body().strip());
        }
        return JsonParser.parseString(response.body());
    }

    private static String text(JsonObject object, String field) {
        JsonElement value = object == null ? null : object.get(field);
        return value == null || value.isJsonNull() ? "" : value.getAsString();
    }
}
