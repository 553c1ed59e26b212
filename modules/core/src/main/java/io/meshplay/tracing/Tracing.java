package io.meshplay.tracing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.helidon.config.Config;
import io.meshplay.broker.Broker;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.SpanBytesEncoder;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * One app's tracing: OpenTelemetry's SDK exporting to Zipkin, W3C {@code traceparent}/{@code tracestate}
 * propagation, the OpenTelemetry gRPC interceptors for servers and channels, and a broker wrapper that
 * carries the context in message headers. {@link #off()} hands out nothing to install, so with tracing
 * off a call or a delivery passes no tracing code at all.
 *
 * <p>Config is passed in, never read from {@code GlobalOpenTelemetry}: two apps in one JVM (tests) keep
 * their own exporters and service names.
 */
public final class Tracing implements AutoCloseable {

    static final String INSTRUMENTATION = "io.meshplay";
    static final AttributeKey<String> INSTANCE_ID = AttributeKey.stringKey("service.instance.id");

    private static final Tracing OFF = new Tracing(null, null, null, null);

    private final OpenTelemetrySdk sdk;
    private final GrpcTelemetry grpc;
    private final Tracer tracer;
    private final TracingOptions options;

    private Tracing(OpenTelemetrySdk sdk, GrpcTelemetry grpc, Tracer tracer, TracingOptions options) {
        this.sdk = sdk;
        this.grpc = grpc;
        this.tracer = tracer;
        this.options = options;
    }

    /** Tracing that does nothing and installs nothing. */
    public static Tracing off() {
        return OFF;
    }

    /**
     * From the root config's {@code tracing} node; {@link #off()} unless {@code tracing.enabled}.
     *
     * @param appName    the service name unless {@code tracing.service-name} says otherwise
     * @param version    {@code service.version} on the resource
     * @param instanceId the instance's id once known (a server learns its port when it listens), put on
     *                   every span as {@code service.instance.id}
     */
    public static Tracing open(Config root, String appName, String version, Supplier<String> instanceId) {
        TracingOptions options = TracingOptions.from(root);
        return options.enabled() ? exporting(options, appName, version, instanceId) : OFF;
    }

    /**
     * For a command-line tool: with {@code tracing.enabled} as {@link #open}; otherwise spans are sampled
     * and propagated but not exported, so the tool can still hand a trace id to the servers it calls and
     * print it.
     */
    public static Tracing openPropagating(Config root, String appName, String version) {
        TracingOptions options = TracingOptions.from(root);
        if (options.enabled()) {
            return exporting(options, appName, version, () -> appName);
        }
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource(options, appName, version))
                .setSampler(SamplerSpec.ALWAYS.sampler(true))
                .build();
        return create(provider, options);
    }

    private static Tracing exporting(TracingOptions options, String appName, String version, Supplier<String> instanceId) {
        // protobuf, not JSON, and no gzip: the bench's profile put most of tracing's cost in encoding and
        // posting spans (JSON + gzip), on the server's own cores; Zipkin takes proto3 on the same endpoint
        URLConnectionSender sender = URLConnectionSender.newBuilder()
                .endpoint(options.endpoint().toString())
                .encoding(Encoding.PROTO3)
                .compressionEnabled(false)
                .connectTimeout(1000)
                .readTimeout(5000)
                .build();
        ExportOutages exporter = new ExportOutages(ZipkinSpanExporter.builder().setSender(sender)
                .setEncoder(SpanBytesEncoder.PROTO3).build(), options.endpoint());
        SdkTracerProviderBuilder provider = SdkTracerProvider.builder()
                .setResource(resource(options, appName, version))
                .setSampler(options.sampler().sampler(options.parentBased()))
                .addSpanProcessor(new InstanceIdProcessor(instanceId))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter)
                        .setScheduleDelay(options.exportInterval())
                        .setMaxQueueSize(options.queueSize())
                        .setExporterTimeout(Duration.ofSeconds(10))
                        .build());
        return create(provider.build(), options);
    }

    private static Tracing create(SdkTracerProvider provider, TracingOptions options) {
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        // no event per message: a stream of a million responses would otherwise carry a million events
        GrpcTelemetry grpc = GrpcTelemetry.builder(sdk).setEmitMessageEvents(false).build();
        return new Tracing(sdk, grpc, sdk.getTracer(INSTRUMENTATION), options);
    }

    private static Resource resource(TracingOptions options, String appName, String version) {
        AttributesBuilder attributes = Attributes.builder()
                .put("service.name", options.serviceName().orElse(appName))
                .put("service.version", version)
                .put("telemetry.sdk.language", "java");
        options.resource().forEach(attributes::put);
        return Resource.create(attributes.build());
    }

    public boolean enabled() {
        return sdk != null;
    }

    /** The interceptor to put on a server's services; empty when off. */
    public Optional<ServerInterceptor> serverInterceptor() {
        return enabled() ? Optional.of(grpc.newServerInterceptor()) : Optional.empty();
    }

    /** The interceptor to put on a channel; empty when off. */
    public Optional<ClientInterceptor> clientInterceptor() {
        return enabled() ? Optional.of(grpc.newClientInterceptor()) : Optional.empty();
    }

    /** The broker with publishes and deliveries traced; the broker itself when off. Closing the result closes {@code broker}. */
    public Broker broker(Broker broker) {
        return enabled() && !(broker instanceof TracingBroker) ? new TracingBroker(broker, tracer, sdk.getPropagators()) : broker;
    }

    /** OpenTelemetry for spans of an app's own ({@link OpenTelemetry#noop()} when off). */
    public OpenTelemetry openTelemetry() {
        return enabled() ? sdk : OpenTelemetry.noop();
    }

    public Tracer tracer() {
        return openTelemetry().getTracer(INSTRUMENTATION);
    }

    /** The id of the trace the calling thread is in, if it is in a sampled one. */
    public static Optional<String> currentTraceId() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? Optional.of(context.getTraceId()) : Optional.empty();
    }

    /** Where Zipkin's UI shows {@code traceId}, when spans are exported. */
    public Optional<String> traceUrl(String traceId) {
        return options != null && options.enabled() ? Optional.of(options.traceUrl(traceId).toString()) : Optional.empty();
    }

    /** Sends the spans still queued (up to 5 s), then stops the exporter. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.getSdkTracerProvider().shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
