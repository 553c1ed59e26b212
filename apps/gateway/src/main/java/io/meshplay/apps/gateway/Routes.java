package io.meshplay.apps.gateway;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.Metadata;
import io.grpc.Status;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.meshplay.client.MeshplayClient;
import io.meshplay.grpcjson.transcode.MessageSchema;
import io.meshplay.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The gateway's HTTP API: {@code POST /{service}/{grpc-service}/{method}} calls the method with a JSON body,
 * {@code GET /_/api/services/{service}/methods} lists what a service offers. Everything under {@code /_/} is the
 * gateway's own (a service named {@code _} is not reachable here).
 */
final class Routes implements HttpService {

    static final String API = "/_/api";
    private static final String OBSERVE = "/observe";

    private static final TextMapGetter<ServerRequestHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ServerRequestHeaders carrier) {
            return carrier.stream().map(h -> h.name()).toList();
        }

        @Override
        public String get(ServerRequestHeaders carrier, String key) {
            return carrier == null ? null : carrier.first(HeaderNames.create(key)).orElse(null);
        }
    };

    /** What exists only once the server runs: the client on its tracing. */
    private record Running(MeshplayClient client, Tracing tracing) {
    }

    private final MethodCatalog catalog;
    private final AnnotatedRoutes rules;
    private final GatewayOptions options;
    private final JsonExchange exchange;
    private volatile Running running;

    Routes(MethodCatalog catalog, AnnotatedRoutes rules, GatewayOptions options) {
        this.catalog = catalog;
        this.rules = rules;
        this.options = options;
        this.exchange = new JsonExchange(options);
    }

    /** Calls are served from now on. */
    void start(MeshplayClient client, Tracing tracing) {
        running = new Running(client, tracing);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(API + "/services/{service}/methods", this::methods)
                .any("/_/*", (req, res) -> send(res, GatewayError.of(Status.Code.NOT_FOUND, "no gateway endpoint "
                        + req.prologue().method().text() + " " + req.path().path() + "; it has GET " + API
                        + "/services/{service}/methods and POST /{service}/{grpc-service}/{method}")))
                .post("/{service}/{grpcService}/{method}", this::call)
                .any(this::ruled);
    }

    private void methods(ServerRequest request, ServerResponse response) {
        try {
            String service = request.path().pathParameters().get("service");
            MethodCatalog.Described described = catalog.describe(service);
            JsonArray methods = new JsonArray();
            for (ServiceDescriptor s : described.services()) {
                // the short name in the path when it is unambiguous, as the call route accepts it
                boolean unique = described.services().stream().filter(o -> o.getName().equals(s.getName())).count() == 1;
                for (MethodDescriptor m : s.getMethods()) {
                    JsonObject method = new JsonObject();
                    method.addProperty("grpcService", s.getFullName());
                    method.addProperty("method", m.getName());
                    method.addProperty("path", "/" + service + "/" + (unique ? s.getName() : s.getFullName()) + "/" + m.getName());
                    method.addProperty("clientStreaming", m.isClientStreaming());
                    method.addProperty("serverStreaming", m.isServerStreaming());
                    method.addProperty("inputType", m.getInputType().getFullName());
                    method.addProperty("outputType", m.getOutputType().getFullName());
                    method.add("input", MessageSchema.of(m.getInputType()));
                    methods.add(method);
                }
            }
            response.header(HeaderNames.CONTENT_TYPE, "application/json").send(methods.toString());
        } catch (RuntimeException e) {
            send(response, GatewayError.from(e));
        }
    }

    private void call(ServerRequest request, ServerResponse response) {
        String service = request.path().pathParameters().get("service");
        String grpcService = request.path().pathParameters().get("grpcService");
        String method = request.path().pathParameters().get("method");
        invoke(request, response, service, "POST /" + service + "/" + grpcService + "/" + method, "/{service}/{grpc-service}/{method}",
                () -> catalog.method(service, grpcService, method), null);
    }

    /** A path no other route took: a google.api.http rule's, or 404. */
    private void ruled(ServerRequest request, ServerResponse response) {
        ruled(request, response, null);
    }

    /** @param otherwise the answer when no rule matches either, or null for "no route" */
    private void ruled(ServerRequest request, ServerResponse response, GatewayError otherwise) {
        String path = request.path().path();
        if (otherwise == null && (path.equals(OBSERVE) || path.startsWith(OBSERVE + "/"))) {
            response.next(); // the observe endpoints' own routes, which come after these
            return;
        }
        try {
            String method = request.prologue().method().text();
            Map<String, List<String>> query = new java.util.LinkedHashMap<>();
            request.query().names().forEach(name -> query.put(name, request.query().all(name)));
            String body = method.equals("GET") || method.equals("DELETE") ? ""
                    : new String(exchange.readBody(request), java.nio.charset.StandardCharsets.UTF_8);
            AnnotatedRoutes.Match match = rules.match(method, path, query, body).orElseThrow(() -> otherwise != null ? otherwise
                    : GatewayError.of(Status.Code.NOT_FOUND,
                    "no route " + method + " " + path + "; calls are POST /{service}/{grpc-service}/{method} (or a service's "
                            + "google.api.http routes), the gateway's own API is under " + API));
            invoke(request, response, match.service(), method + " " + path, "google.api.http " + match.method().getFullName(),
                    match::method, match.json());
        } catch (RuntimeException e) {
            send(response, GatewayError.from(e));
        }
    }

    private void invoke(ServerRequest request, ServerResponse response, String service, String spanName, String route,
                        java.util.function.Supplier<MethodDescriptor> resolve, String json) {
        Running now = running;
        if (now == null) {
            send(response, GatewayError.of(Status.Code.UNAVAILABLE, "the gateway is starting"));
            return;
        }
        long start = System.nanoTime();
        Context parent = now.tracing().openTelemetry().getPropagators().getTextMapPropagator()
                .extract(Context.root(), request.headers(), HEADERS);
        Span span = now.tracing().tracer().spanBuilder(spanName)
                .setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", request.prologue().method().text())
                .setAttribute("http.route", route)
                .setAttribute("meshplay.service", service)
                .startSpan();
        String methodTag = "unknown";
        Status.Code code = Status.Code.UNKNOWN;
        GatewayError unknownService = null;
        try (Scope ignored = span.makeCurrent()) {
            MethodDescriptor method = resolve.get();
            methodTag = method.getFullName();
            Metadata metadata = HeaderMapping.toMetadata(request.headers(), request.remotePeer().host());
            long deadline = HeaderMapping.timeoutNanos(request.headers())
                    .orElse(method.isServerStreaming() ? -1 : options.timeout().toNanos());
            JsonExchange.Output output = !method.isServerStreaming() ? JsonExchange.Output.JSON
                    : request.headers().first(HeaderNames.ACCEPT).filter(a -> a.contains("text/event-stream")).isPresent()
                    ? JsonExchange.Output.SSE : JsonExchange.Output.NDJSON;
            code = exchange.run(now.client().channel(service), method, request, response, metadata, deadline, output, json);
        } catch (GatewayError e) {
            code = e.code();
            // POST /a/b/c may be a google.api.http route rather than a service: answered below
            if (json == null && e.reason().equals("SERVICE_NOT_FOUND")) {
                unknownService = e;
            } else {
                send(response, e);
            }
        } catch (RuntimeException e) {
            GatewayError error = GatewayError.from(e);
            code = error.code();
            send(response, error);
        } finally {
            span.setAttribute("http.response.status_code", (long) response.status().code());
            span.setAttribute("rpc.grpc.status_code", (long) code.value());
            if (code != Status.Code.OK) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
        if (unknownService != null) {
            ruled(request, response, unknownService);
            return;
        }
        record(service, methodTag, response.status().code(), System.nanoTime() - start);
    }

    private static void record(String service, String method, int status, long nanos) {
        // a name that resolved to nothing is "unknown": made-up names must not create meters
        String tagService = method.equals("unknown") ? "unknown" : service;
        List<Tag> tags = List.of(Tag.create("service", tagService), Tag.create("method", method),
                Tag.create("status", String.valueOf(status)));
        Metrics.getOrCreate(Counter.builder("meshplay.gateway.requests")
                .description("HTTP requests the gateway answered, by service, gRPC method and HTTP status").tags(tags)).increment();
        Metrics.getOrCreate(Timer.builder("meshplay.gateway.request.duration")
                .description("time from the HTTP request to the end of its response")
                .baseUnit("seconds").publishPercentileHistogram(true)
                .minimumExpectedValue(java.time.Duration.ofNanos(100_000))
                .maximumExpectedValue(java.time.Duration.ofSeconds(30))
                .tags(tags)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The error as JSON with its status, unless the response is already under way (then nothing can be said). */
    static void send(ServerResponse response, GatewayError error) {
        if (response.isSent()) {
            return;
        }
        try {
            if (error.httpStatus() == 413) {
                // the rest of a refused body is not read: the connection cannot carry another request
                response.header(HeaderNames.CONNECTION, "close");
            }
            response.status(io.helidon.http.Status.create(error.httpStatus()))
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(error.body().toString());
        } catch (IllegalStateException e) {
            // the stream was committed already; its own error line was written or the client left
        }
    }
}
