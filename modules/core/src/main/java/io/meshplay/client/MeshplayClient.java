package io.meshplay.client;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.helidon.config.Config;
import io.meshplay.config.Options;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.security.TransportSecurities;
import io.meshplay.security.TransportSecurity;
import io.meshplay.tracing.Tracing;
import io.meshplay.tracing.TracingOptions;

/**
 * The client runtime: one pooled grpc-java channel per service on {@code meshplay:///<service>},
 * resolved through the registry. Generated stubs use {@link #channel(String)} directly.
 *
 * <p>Why grpc-java's Netty channel and not Helidon's GrpcClient: Helidon 4.4.0's client opens a
 * connection per call (0.4x the unary QPS, thousands of TIME_WAIT sockets under load).
 */
public final class MeshplayClient implements AutoCloseable {

    /** What {@link #create(Config)} reads from the root config besides the registry, for {@code --help}. */
    public static final Options OPTIONS = ClientOptions.OPTIONS.under("client").and(TransportSecurities.options())
            .and(TracingOptions.OPTIONS);
    /** The identity of a client that does not say which app it is, under {@code tls.mode != off}. */
    public static final String DEFAULT_IDENTITY = "meshplay-client";

    private final Registry registry;
    private final boolean ownsRegistry;
    private final ClientOptions options;
    private final Optional<TransportSecurity> security;
    private final boolean ownsSecurity;
    private Tracing tracing = Tracing.off();
    private boolean ownsTracing;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, ClientMetricsInterceptor> calls = new ConcurrentHashMap<>();

    private MeshplayClient(Registry registry, boolean ownsRegistry, ClientOptions options, Optional<TransportSecurity> security,
                           boolean ownsSecurity) {
        this.registry = registry;
        this.ownsRegistry = ownsRegistry;
        this.options = options;
        this.security = security;
        this.ownsSecurity = ownsSecurity;
    }

    /** As {@link #create(Config, String)} for a client that calls as {@value #DEFAULT_IDENTITY} unless {@code tls.identity} says. */
    public static MeshplayClient create(Config config) {
        return create(config, DEFAULT_IDENTITY);
    }

    /**
     * From the root config: the registry from {@code registry}, options from {@code client}, transport
     * security from {@code tls} (calling as {@code tls.identity}, default {@code appName}); closes what it opened.
     */
    public static MeshplayClient create(Config config, String appName) {
        ClientOptions options = ClientOptions.from(config.get("client"));
        Optional<TransportSecurity> security = SecureChannels.open(config, appName);
        try {
            MeshplayClient client = new MeshplayClient(Registries.create(config.get("registry")), true, options, security, true);
            client.tracing = Tracing.open(config, appName, config.get("service.version").asString().orElse("1.0.0"),
                    () -> appName + "-" + ProcessHandle.current().pid());
            client.ownsTracing = true;
            return client;
        } catch (RuntimeException e) {
            security.ifPresent(TransportSecurity::close);
            throw e;
        }
    }

    /** Calls are traced by {@code tracing} (which the caller owns and closes), e.g. one an app shares with its broker. */
    public MeshplayClient tracing(Tracing tracing) {
        if (!channels.isEmpty()) {
            throw new IllegalStateException("set tracing before the first channel");
        }
        if (ownsTracing) {
            this.tracing.close();
        }
        this.tracing = tracing;
        this.ownsTracing = false;
        return this;
    }

    /** Over a registry the caller owns and closes; plaintext. */
    public static MeshplayClient create(Registry registry, ClientOptions options) {
        return new MeshplayClient(registry, false, options, Optional.empty(), false);
    }

    /** Over a registry and transport security the caller owns and closes. */
    public static MeshplayClient create(Registry registry, ClientOptions options, Optional<TransportSecurity> security) {
        return new MeshplayClient(registry, false, options, security, false);
    }

    public Registry registry() {
        return registry;
    }

    /** The channel to {@code service}, created on first use and shared after. */
    public ManagedChannel channel(String service) {
        return channels.computeIfAbsent(service, this::newChannel);
    }

    private ManagedChannel newChannel(String service) {
        NettyChannelBuilder channel = NettyChannelBuilder.forTarget(MeshplayNameResolverProvider.target(service))
                .setNameResolverArg(MeshplayNameResolverProvider.REGISTRY, registry)
                .defaultServiceConfig(options.serviceConfig())
                .enableRetry();
        SecureChannels.configure(channel, security, service).withOption(ChannelOption.TCP_NODELAY, options.tcpNoDelay());
        if (options.hedged()) {
            channel.intercept(new BrokenResponseRetry(service)); // added first, runs last: below the metrics
        }
        channel.intercept(calls.computeIfAbsent(service, ClientMetricsInterceptor::new));
        if (options.hedged()) {
            channel.intercept(DistinctAttempts.interceptor());
        }
        tracing.clientInterceptor().ifPresent(channel::intercept); // added last, runs first: the span covers retries
        return channel.build();
    }

    /**
     * Lets calls in flight finish (up to 5 s), then closes the channels at once. Waiting for
     * termination instead would also wait out grpc-java's 5 s grace for connections to instances that
     * have left, with no call on them.
     */
    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdown);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (calls.values().stream().anyMatch(c -> c.inFlight() > 0) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        for (ManagedChannel channel : channels.values()) {
            channel.shutdownNow();
            try {
                channel.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channels.clear();
        if (ownsRegistry) {
            registry.close();
        }
        if (ownsSecurity) {
            security.ifPresent(TransportSecurity::close);
        }
        if (ownsTracing) {
            tracing.close();
        }
    }
}
