package io.meshplay.tracing;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.meshplay.config.Option;
import io.meshplay.config.Options;

/**
 * The {@code tracing} keys every app reads. Off unless {@code tracing.enabled: true}: a library user who
 * did not ask for traces gets no interceptor, no wrapped broker and no exporter thread.
 *
 * @param enabled        whether spans are recorded and exported
 * @param endpoint       where spans are posted (Zipkin's v2 JSON API)
 * @param sampler        what {@code tracing.sampler} said
 * @param parentBased    whether a caller's sampling decision wins over {@link #sampler}
 * @param serviceName    the service name spans carry; empty means the app's own name
 * @param resource       extra resource attributes
 * @param exportInterval how long finished spans wait to be sent in one batch
 * @param queueSize      finished spans held for export; beyond it new ones are dropped (calls never wait)
 */
public record TracingOptions(boolean enabled, URI endpoint, SamplerSpec sampler, boolean parentBased,
                             Optional<String> serviceName, Map<String, String> resource, Duration exportInterval,
                             int queueSize) {

    /** Zipkin's default address; {@code make demo} runs one there. */
    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:9411/api/v2/spans";

    static final Option<Boolean> ENABLED = Option.bool("enabled", "record spans and export them to tracing.endpoint")
            .defaultValue(false);
    static final Option<URI> ENDPOINT = Option.text("endpoint", "Zipkin's span API (v2 JSON)",
                    "an http(s) URL such as " + DEFAULT_ENDPOINT, TracingOptions::httpUri)
            .defaultValue(URI.create(DEFAULT_ENDPOINT));
    static final Option<SamplerSpec> SAMPLER = Option.text("sampler", "which new traces are recorded",
                    SamplerSpec.EXPECTED, SamplerSpec::parse)
            .defaultValue(SamplerSpec.ALWAYS);
    static final Option<Boolean> PARENT_BASED = Option.bool("parent-based",
            "a caller's sampling decision (traceparent) wins over tracing.sampler").defaultValue(true);
    static final Option<String> SERVICE_NAME = Option.string("service-name", "the service name on spans")
            .defaultShown("the app's name (service.name for servers)");
    static final Option<Map<String, String>> RESOURCE = Option.map("resource",
            "resource attributes beside service.name, service.version, service.instance.id",
            key -> !key.isBlank(), "a non-empty attribute name");
    static final Option<Duration> EXPORT_INTERVAL = Option.duration("export-interval",
                    "finished spans are sent in batches this often")
            .range(Duration.ofMillis(10), Duration.ofMinutes(5)).defaultValue(Duration.ofSeconds(2));
    // OpenTelemetry's default is 2,048: the bench lost 5-21% of spans at ~3k calls/s with it
    static final Option<Integer> QUEUE_SIZE = Option.integer("queue-size",
                    "finished spans held for export; beyond it spans are dropped, calls never wait")
            .range(64, 1_000_000, "an integer from 64 to 1000000").defaultValue(16_384);

    /** The keys under {@code tracing}, for {@code --help} and the unknown-key check. */
    public static final Options OPTIONS = Options.of(ENABLED, ENDPOINT, SAMPLER, PARENT_BASED, SERVICE_NAME, RESOURCE,
            EXPORT_INTERVAL, QUEUE_SIZE).under("tracing");

    public TracingOptions {
        resource = Map.copyOf(resource);
    }

    /** @param root the root config; reads its {@code tracing} node, failing with the key on a bad value */
    public static TracingOptions from(Config root) {
        Config node = root.get("tracing");
        return new TracingOptions(ENABLED.get(node), ENDPOINT.get(node), SAMPLER.get(node), PARENT_BASED.get(node),
                SERVICE_NAME.find(node), RESOURCE.get(node), EXPORT_INTERVAL.get(node), QUEUE_SIZE.get(node));
    }

    /** Where Zipkin's UI shows a trace, derived from the span endpoint (same host and port). */
    public URI traceUrl(String traceId) {
        return endpoint.resolve("/zipkin/traces/" + traceId);
    }

    private static URI httpUri(String text) {
        URI uri = URI.create(text);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(text);
        }
        return uri;
    }
}
