package io.meshplay.server;

import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.Handler;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.codec.TypedBroker;
import io.meshplay.codec.TypedHandler;
import io.meshplay.config.Startup;
import io.meshplay.config.StartupException;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.security.Side;
import io.meshplay.security.TransportSecurities;
import io.meshplay.security.TransportSecurity;
import io.meshplay.tracing.Tracing;

/**
 * The server runtime (go-micro's {@code micro.NewService}): gRPC with grpc.health.v1 and reflection on
 * the transport {@code grpc.transport} names ({@link GrpcTransport}), a Helidon WebServer with the
 * observe endpoints, the instance registered once both listen, typed subscribers started.
 * {@link #close()} deregisters first, then stops subscriptions, lets in-flight calls finish up to
 * {@code service.shutdown-timeout}, and stops the transport and the WebServer.
 */
public final class MeshplayServer implements AutoCloseable {

    public static final String METRICS_PATH = InstanceMetadata.DEFAULT_METRICS_PATH;
    public static final String HEALTH_PATH = InstanceMetadata.DEFAULT_HEALTH_PATH;
    /** The counter of calls refused for what the client sent (tags {@code reason}, {@code grpc.method}). */
    public static final String REJECTED_METER = RejectedCalls.METER;

    private static final String HEALTH_SERVICE = io.grpc.health.v1.HealthGrpc.SERVICE_NAME;
    private static final Duration HEALTH_SYNC_INTERVAL = Duration.ofMillis(500);
    private static final System.Logger LOG = System.getLogger(MeshplayServer.class.getName());

    private final Builder builder;
    private final Registry registry;
    private final Broker broker;
    private final HealthStatusManager grpcHealth = new HealthStatusManager();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Duration shutdownTimeout;
    private final List<ServerServiceDefinition> definitions = new ArrayList<>();
    private final RegistrationFeature registration;
    private final InFlightCalls inFlight;
    private final GrpcTransport transport;
    private final Optional<TransportSecurity> security;
    private final Tracing tracing;
    private final List<ServerInterceptor> serviceInterceptors = new ArrayList<>();
    private volatile boolean securityReady;
    private Thread securityWait;
    private WebServer webServer;
    private volatile ServiceInstance instance;
    private Thread healthSync;
    private volatile boolean subscribersStarted;
    private volatile boolean closed;

    private MeshplayServer(Builder builder) {
        this.builder = builder;
        Config config = builder.config;
        this.shutdownTimeout = ServerOptions.SHUTDOWN_TIMEOUT.get(config);
        String tlsMode = TransportSecurities.mode(config);
        if (!TransportSecurities.OFF.equals(tlsMode) && GrpcTransport.HELIDON.equals(GrpcTransport.configured(config))) {
            // Helidon's gRPC routing shares the WebServer's port, whose TLS is Helidon's own (no live
            // managers, no caller identity per call): refused rather than half-secured
            throw new StartupException("grpc.transport=helidon does not support tls.mode=" + tlsMode
                    + "; use grpc.transport=netty", Startup.CONFIG_ERROR, null);
        }
        this.security = TransportSecurities.open(config, Side.SERVER, builder.name);
        this.securityReady = security.isEmpty();
        try {
            this.transport = GrpcTransport.create(config, security, builder.name);
        } catch (RuntimeException e) {
            security.ifPresent(TransportSecurity::close);
            throw e;
        }
        ServerOptions.GRPC_MAX_INBOUND_MESSAGE_SIZE.get(config); // a bad value fails here, on either transport
        builder.services.forEach(s -> definitions.add(s.bindService()));
        definitions.add(grpcHealth.getHealthService().bindService());
        TreeSet<String> methods = new TreeSet<>();
        definitions.forEach(d -> d.getMethods().forEach(m -> methods.add(m.getMethodDescriptor().getFullMethodName())));
        // the service.* keys of the root node are the feature's own; the rest only the runtime knows, and
        // the observe paths are the ones it serves whatever service.*-path say
        RegistrationConfig.Builder registrationConfig = RegistrationFeature.builder()
                .config(config)
                .enabled(true)
                .serviceName(builder.name)
                .addMetadata(builder.metadata)
                .addMetadata(security.map(s -> Map.of(InstanceMetadata.TLS_MODE, s.mode())).orElse(Map.of()))
                .metricsPath(METRICS_PATH)
                .healthPath(HEALTH_PATH)
                .bindHost(ServerOptions.SERVER_HOST.get(config))
                .grpcTransport(transport.name())
                .grpcPort(transport::port)
                .grpcMethods(List.copyOf(methods));
        registrationConfig.buildPrototype(); // a bad value fails here, before a plug-in is opened
        this.tracing = Tracing.open(config, builder.name, ServerOptions.SERVICE_VERSION.get(config),
                () -> instance == null ? null : instance.id());
        this.registry = builder.registry != null ? builder.registry : Registries.create(config.get("registry"));
        Broker plain = builder.broker != null ? builder.broker
                : builder.subscribers.isEmpty() ? null : Brokers.create(config.get("broker"));
        this.broker = plain == null ? null : tracing.broker(plain);
        this.registration = registrationConfig.registry(registry).build();
        this.inFlight = new InFlightCalls(() -> registration.instance().map(ServiceInstance::id).orElse(builder.name));
        serviceInterceptors.add(inFlight);
        tracing.serverInterceptor().ifPresent(serviceInterceptors::add); // last = outermost: the span covers the call
    }

    public static Builder builder() {
        return new Builder();
    }

    private MeshplayServer start() {
        Config config = builder.config;

        WebServerConfig.Builder server = WebServer.builder().config(transport.webServerConfig(config.get("server"))).shutdownHook(false);
        transport.start(server, definitions.stream()
                // health checks (Consul asks every few seconds) are not traced: they would bury the calls in Zipkin
                .map(d -> RequestGuard.guard(d.getServiceDescriptor().getName().equals(HEALTH_SERVICE)
                        ? ServerInterceptors.intercept(d, inFlight) : ServerInterceptors.intercept(d, serviceInterceptors)))
                .toList());
        server.addFeature(registration);
        // one routing: a second HttpRouting on the same listener would replace the first
        server.routing(r -> {
            r.register(io.meshplay.observe.PrometheusSdService.PATH, new io.meshplay.observe.PrometheusSdService(registry));
            builder.routes.forEach(routes -> routes.accept(r));
        });
        server.addFeature(ObserveFeature.builder()
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addCheck(ServerHealth.registry(registry.type(), registration::registered, registration::lastError))
                        .addCheck(ServerHealth.subscriptions(() -> List.copyOf(subscriptions), () -> subscribersStarted))
                        .addCheck(ServerHealth.transportSecurity(security.map(TransportSecurity::mode), () -> securityReady,
                                () -> security.flatMap(TransportSecurity::problem)))
                        .build())
                .addObserver(MetricsObserver.create())
                .build());
        try (HelidonStartLog startLog = new HelidonStartLog()) {
            try {
                webServer = server.build().start();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw ServerOptions.webServerFailure(config, e);
            }
            if (!webServer.isRunning() || webServer.port() < 0) {
                // Helidon logs a bind failure and returns a stopped server instead of throwing
                throw startLog.failure().map(t -> ServerOptions.webServerFailure(config, t)).orElseGet(() -> new StartupException(
                        ServerOptions.SERVER_PORT.key() + " " + ServerOptions.SERVER_PORT.get(config) + ": cannot listen on "
                                + ServerOptions.SERVER_HOST.get(config) + " (the port is in use or not allowed)", Startup.FAILED, null));
            }
            startLog.release();
        }
        instance = registration.instance().orElseThrow();
        if (!securityReady && readyNow(security.orElseThrow())) {
            securityReady = true; // files: read at open
        }
        setServiceStatus(securityReady ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
        builder.subscribers.forEach(s -> subscriptions.add(s.apply(broker)));
        subscribersStarted = true;
        if (!securityReady) {
            securityWait = Thread.ofVirtual().name("meshplay-tls-ready").start(this::awaitSecurity);
        }
        if (!subscriptions.isEmpty() || !securityReady) {
            healthSync = Thread.ofVirtual().name("meshplay-health-sync").start(this::syncGrpcHealth);
        }
        LOG.log(Level.INFO, "serving " + instance.name() + " as " + instance.id() + " on " + instance.address()
                + " (gRPC transport " + transport.name() + ", observe endpoints on port " + webServer.port() + "; registry " + registry.type() + (broker == null ? "" : ", broker " + broker.type()) + ")");
        return this;
    }

    private void setServiceStatus(ServingStatus status) {
        definitions.forEach(d -> grpcHealth.setStatus(d.getServiceDescriptor().getName(), status));
    }

    private static boolean readyNow(TransportSecurity security) {
        try {
            return security.awaitReady(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Not ready until the mode has its first certificate and trust anchors (connect: from the agent). */
    private void awaitSecurity() {
        TransportSecurity s = security.orElseThrow();
        try {
            boolean logged = false;
            while (!closed && !s.awaitReady(Duration.ofSeconds(5))) {
                if (!logged) {
                    LOG.log(Level.WARNING, "tls.mode=" + s.mode() + ": no certificate yet after 5 s; not ready until there is one"
                            + s.problem().map(p -> " (" + p + ")").orElse(""));
                    logged = true;
                }
            }
            if (!closed) {
                securityReady = true;
                setServiceStatus(ServingStatus.SERVING);
                LOG.log(Level.INFO, "tls.mode=" + s.mode() + ": certificate and trust anchors loaded; ready");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Keeps grpc.health.v1 in step with readiness, because that is what Consul's gRPC check asks: a
     * server whose subscription died goes NOT_SERVING there too. Registration is not part of it (an
     * unregistered instance is not checked at all).
     */
    private void syncGrpcHealth() {
        ServingStatus last = ServingStatus.SERVING;
        while (!Thread.currentThread().isInterrupted() && !closed) {
            boolean subscribed = subscriptions.stream().allMatch(Subscription::active);
            ServingStatus now = subscribed && securityReady ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            if (now != last) {
                LOG.log(now == ServingStatus.SERVING ? Level.INFO : Level.WARNING,
                        "grpc.health.v1 of " + instance.id() + " is now " + now + " (subscriptions "
                                + (subscribed ? "active" : "not all active") + (securityReady ? "" : ", no certificate yet") + ")");
                grpcHealth.setStatus("", now);
                last = now;
            }
            LockSupport.parkNanos(HEALTH_SYNC_INTERVAL.toNanos());
        }
    }

    /** The port gRPC clients connect to (the registered one). */
    public int port() {
        return transport.port(webServer.port());
    }

    /** The port of the observe endpoints ({@code /observe/metrics}, {@code /observe/health}); gRPC's too on the helidon transport. */
    public int observePort() {
        return webServer.port();
    }

    /** Whether the transport security (if any) has its first certificate: a server is not ready before. */
    public boolean securityReady() {
        return securityReady;
    }

    /** {@code netty} or {@code helidon}, as {@code grpc.transport} chose. */
    public String transport() {
        return transport.name();
    }

    public ServiceInstance instance() {
        return instance;
    }

    public Registry registry() {
        return registry;
    }

    /** The broker subscribers use, traced when tracing is on; null for a server without subscribers or a broker of its own. */
    public Broker broker() {
        return broker;
    }

    /** This server's tracing ({@link Tracing#off()} unless {@code tracing.enabled}). */
    public Tracing tracing() {
        return tracing;
    }

    public boolean registered() {
        return registration.registered();
    }

    /** Calls the server is handling now. */
    public int callsInFlight() {
        return inFlight.count();
    }

    /** Closes the server on SIGTERM/Ctrl-C, in the same order as {@link #close()}. */
    public MeshplayServer closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "meshplay-shutdown"));
        return this;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        String id = instance == null ? builder.name : instance.id();
        registration.deregister();
        if (healthSync != null) {
            healthSync.interrupt();
        }
        if (securityWait != null) {
            securityWait.interrupt();
        }
        grpcHealth.enterTerminalState();
        subscriptions.forEach(Subscription::close);
        int left = inFlight.awaitIdle(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (left > 0) {
            LOG.log(Level.WARNING, left + " calls still running after " + shutdownTimeout + "; stopping anyway");
        }
        // calls still running had their shutdown-timeout already: a short grace, then they are cancelled
        transport.stop(Duration.ofSeconds(1));
        if (webServer != null) {
            webServer.stop();
        }
        security.ifPresent(TransportSecurity::close);
        tracing.close();
        if (builder.broker == null && broker != null) {
            broker.close();
        }
        if (builder.registry == null) {
            registry.close();
        }
        if (instance != null) {
            LOG.log(Level.INFO, "stopped " + id); // a server that never started has nothing to report stopped
        }
    }

    /** Builds and starts a {@link MeshplayServer}. */
    public static final class Builder {
        private Config config = Config.empty();
        private String name;
        private Registry registry;
        private Broker broker;
        private final List<BindableService> services = new ArrayList<>();
        private final List<Function<Broker, Subscription>> subscribers = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final List<java.util.function.Consumer<io.helidon.webserver.http.HttpRouting.Builder>> routes = new ArrayList<>();

        private Builder() {
        }

        /** The root config (service, server, registry, broker nodes). */
        public Builder config(Config config) {
            this.config = config;
            return this;
        }

        /** Overrides {@code service.name}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Uses this registry (the caller closes it) instead of the one {@code registry.type} names. */
        public Builder registry(Registry registry) {
            this.registry = registry;
            return this;
        }

        /** Uses this broker (the caller closes it) instead of the one {@code broker.type} names. */
        public Builder broker(Broker broker) {
            this.broker = broker;
            return this;
        }

        public Builder addService(BindableService service) {
            services.add(service);
            return this;
        }

        /** HTTP routes beside the observe endpoints on {@code server.port} (the gateway's API). */
        public Builder routing(java.util.function.Consumer<io.helidon.webserver.http.HttpRouting.Builder> routes) {
            this.routes.add(routes);
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        public Builder subscribe(String topic, Handler handler, SubscribeOptions options) {
            subscribers.add(b -> b.subscribe(topic, handler, options));
            return this;
        }

        public <T extends com.google.protobuf.Message> Builder subscribe(String topic, T prototype, TypedHandler<T> handler,
                                                                         SubscribeOptions options) {
            subscribers.add(b -> new TypedBroker(b).subscribe(topic, prototype, handler, options));
            return this;
        }

        /** Starts the server; the instance is registered now or, if the registry is down, as soon as it answers. */
        public MeshplayServer start() {
            if (name == null) {
                name = ServerOptions.SERVICE_NAME.get(config);
            }
            MeshplayServer server = new MeshplayServer(this);
            try {
                return server.start();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }
}
