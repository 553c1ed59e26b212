package io.meshplay.apps.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;

/**
 * The routes {@code google.api.http} annotations add: {@code get: "/v1/items/{id}"} makes {@code GET
 * /v1/items/abc} call the method with {@code {"id":"abc"}}. Templates have literal segments, {@code *},
 * {@code **}, variables {@code {field.path}} or {@code {field=pattern/*}} and a {@code :verb}; the body is
 * {@code "*"} (all of it), a field, or none (then query parameters fill fields). Unary methods only, and
 * {@code response_body} is not applied. The table is built from the types of every service whose instances
 * carry the {@code grpc} tag, and rebuilt at most once a few seconds, when a request matches nothing.
 */
final class AnnotatedRoutes {

    /** A rule bound to its service. */
    record Route(String service, MethodDescriptor method, String httpMethod, List<String> segments, String verb, String body) {
    }

    /** A matched request: the method and the request message as JSON. */
    record Match(String service, MethodDescriptor method, String json) {
    }

    private static final ExtensionRegistry EXTENSIONS = ExtensionRegistry.newInstance();
    private static final long REBUILD_NANOS = TimeUnit.SECONDS.toNanos(3);

    static {
        AnnotationsProto.registerAllExtensions(EXTENSIONS);
    }

    private final Registry registry;
    private final MethodCatalog catalog;
    private final String self;
    private volatile List<Route> routes = List.of();
    private volatile long builtAt = System.nanoTime() - 2 * REBUILD_NANOS;

    /** @param self the gateway's own service name, never described */
    AnnotatedRoutes(Registry registry, MethodCatalog catalog, String self) {
        this.registry = registry;
        this.catalog = catalog;
        this.self = self;
    }

    /** The rule this request matches, if any; the table is rebuilt first when it is stale and nothing matched. */
    Optional<Match> match(String httpMethod, String path, Map<String, List<String>> query, String body) {
        Optional<Match> found = find(routes, httpMethod, path, query, body);
        if (found.isEmpty() && System.nanoTime() - builtAt > REBUILD_NANOS) {
            rebuild();
            found = find(routes, httpMethod, path, query, body);
        }
        return found;
    }

    private synchronized void rebuild() {
        if (System.nanoTime() - builtAt <= REBUILD_NANOS) {
            return; // another request just did
        }
        List<Route> table = new ArrayList<>();
        for (String service : registry.services()) {
            List<ServiceInstance> instances = registry.instances(service);
            if (service.equals(self) || instances.stream().noneMatch(i -> i.tags().contains("grpc"))) {
                continue;
            }
            try {
                for (ServiceDescriptor s : catalog.describe(service).services()) {
                    for (MethodDescriptor m : s.getMethods()) {
                        rules(m).forEach(rule -> add(table, service, m, rule));
                    }
                }
            } catch (RuntimeException e) {
                // a service that cannot be described has no rules now; the next rebuild tries it again
            }
        }
        routes = List.copyOf(table);
        builtAt = System.nanoTime();
    }

    private static List<HttpRule> rules(MethodDescriptor method) {
        if (method.isClientStreaming() || method.isServerStreaming()) {
            return List.of();
        }
        try {
            MethodOptions options = MethodOptions.parseFrom(method.getOptions().toByteString(), EXTENSIONS);
            if (!options.hasExtension(AnnotationsProto.http)) {
                return List.of();
            }
            HttpRule rule = options.getExtension(AnnotationsProto.http);
            List<HttpRule> all = new ArrayList<>(List.of(rule));
            all.addAll(rule.getAdditionalBindingsList());
            return all;
        } catch (InvalidProtocolBufferException e) {
            return List.of();
        }
    }

    private static void add(List<Route> table, String service, MethodDescriptor method, HttpRule rule) {
        String verb;
        String template;
        switch (rule.getPatternCase()) {
            case GET -> { verb = "GET"; template = rule.getGet(); }
            case PUT -> { verb = "PUT"; template = rule.getPut(); }
            case POST -> { verb = "POST"; template = rule.getPost(); }
            case DELETE -> { verb = "DELETE"; template = rule.getDelete(); }
            case PATCH -> { verb = "PATCH"; template = rule.getPatch(); }
            case CUSTOM -> { verb = rule.getCustom().getKind().toUpperCase(java.util.Locale.ROOT); template = rule.getCustom().getPath(); }
            default -> { return; }
        }
        String customVerb = null;
        int colon = template.lastIndexOf(':');
        if (colon > template.lastIndexOf('}') && colon > template.lastIndexOf('/')) {
            customVerb = template.substring(colon + 1);
            template = template.substring(0, colon);
        }
        table.add(new Route(service, method, verb, segments(template), customVerb, rule.getBody()));
    }

    /** {@code /v1/{name=shelves/*}/books} as [v1, {name=shelves/*}, books]: a variable's own slashes kept together. */
    static List<String> segments(String template) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (char ch : template.substring(template.startsWith("/") ? 1 : 0).toCharArray()) {
            if (ch == '/' && depth == 0) {
                out.add(current.toString());
                current.setLength(0);
                continue;
            }
            depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
            current.append(ch);
        }
        out.add(current.toString());
        return out;
    }

    private static Optional<Match> find(List<Route> table, String httpMethod, String path, Map<String, List<String>> query, String body) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        for (Route route : table) {
            if (!route.httpMethod().equals(httpMethod)) {
                continue;
            }
            String target = p;
            if (route.verb() != null) {
                if (!target.endsWith(":" + route.verb())) {
                    continue;
                }
                target = target.substring(0, target.length() - route.verb().length() - 1);
            }
            JsonObject variables = new JsonObject();
            if (bind(route.segments(), List.of(target.split("/", -1)), variables)) {
                return Optional.of(new Match(route.service(), route.method(), request(route, variables, query, body)));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code path} matches {@code template}; variables are collected by their field paths. */
    private static boolean bind(List<String> template, List<String> path, JsonObject variables) {
        int at = 0;
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                String inner = t.substring(1, t.length() - 1);
                int eq = inner.indexOf('=');
                List<String> pattern = eq < 0 ? List.of("*") : List.of(inner.substring(eq + 1).split("/"));
                int take = pattern.contains("**") ? path.size() - at - (template.size() - i - 1) : pattern.size();
                if (take < 1 || at + take > path.size() || !literal(pattern, path.subList(at, at + take))) {
                    return false;
                }
                set(variables, eq < 0 ? inner : inner.substring(0, eq), String.join("/", path.subList(at, at + take)));
                at += take;
            } else if (t.equals("**")) {
                at = path.size() - (template.size() - i - 1);
            } else {
                if (at >= path.size() || !(t.equals("*") ? !path.get(at).isEmpty() : t.equals(path.get(at)))) {
                    return false;
                }
                at++;
            }
        }
        return at == path.size();
    }

    private static boolean literal(List<String> pattern, List<String> path) {
        if (pattern.contains("**")) {
            return true;
        }
        for (int i = 0; i < pattern.size(); i++) {
            String s = pattern.get(i);
            if (!(s.equals("*") ? !path.get(i).isEmpty() : s.equals(path.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** The request JSON: the body as the rule says, query parameters when there is no body, path variables over both. */
    private static String request(Route route, JsonObject variables, Map<String, List<String>> query, String body) {
        JsonObject json = new JsonObject();
        String text = body == null || body.isBlank() ? "{}" : body;
        io.meshplay.grpcjson.transcode.JsonInput.checkSyntax(text, "the request body");
        if (route.body().equals("*")) {
            JsonElement whole = JsonParser.parseString(text);
            if (!whole.isJsonObject()) {
                throw GatewayError.badRequest("the request body must be a JSON object for " + route.method().getFullName());
            }
            json = whole.getAsJsonObject();
        } else if (!route.body().isEmpty()) {
            json.add(route.body(), JsonParser.parseString(text));
        }
        if (!route.body().equals("*")) {
            for (Map.Entry<String, List<String>> q : query.entrySet()) {
                for (String v : q.getValue()) {
                    set(json, q.getKey(), v); // a repeated parameter: the last one wins
                }
            }
        }
        for (Map.Entry<String, JsonElement> v : variables.entrySet()) {
            set(json, v.getKey(), v.getValue().getAsString());
        }
        return json.toString();
    }

    /** Sets {@code a.b.c} to a string (protobuf's JSON parser reads numbers, booleans and enums from strings too). */
    private static void set(JsonObject json, String fieldPath, String value) {
        String[] parts = fieldPath.split("\\.");
        JsonObject node = json;
        for (int i = 0; i < parts.length - 1; i++) {
            if (!node.has(parts[i]) || !node.get(parts[i]).isJsonObject()) {
                node.add(parts[i], new JsonObject());
            }
            node = node.getAsJsonObject(parts[i]);
        }
        node.add(parts[parts.length - 1], new JsonPrimitive(value));
    }
}
