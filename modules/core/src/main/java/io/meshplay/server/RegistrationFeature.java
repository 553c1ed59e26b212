package io.meshplay.server;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.helidon.builder.api.RuntimeType;
import io.helidon.common.Weighted;
import io.helidon.config.Config;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.spi.ServerFeature;
import io.meshplay.config.ConfigErrors;
import io.meshplay.registry.InstanceDescription;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;

/**
 * Registers a running Helidon WebServer in a meshplay registry, the way Helidon's Eureka integration
 * does: switched on by configuration alone ({@code server.features.meshplay-registration}, see
 * {@link RegistrationConfig}), the instance described from the port the server actually bound (so
 * port 0 works) once it has started, and removed when it stops. {@link MeshplayServer} creates it in
 * code with what only the runtime knows (the gRPC port of its transport, its methods).
 *
 * <p>Stopping a server closes its listeners before {@code afterStop} runs, so clients could still be
 * sent to an instance that no longer accepts; {@link MeshplayServer} therefore calls
 * {@link #deregister()} itself before it stops the server, and {@code afterStop} is only the backstop.
 */
@RuntimeType.PrototypedBy(RegistrationConfig.class)
public final class RegistrationFeature implements ServerFeature, Weighted, RuntimeType.Api<RegistrationConfig> {

    public static final String NAME = "meshplay-registration";
    /** The version registered when {@code service.version} is not set. */
    public static final String DEFAULT_VERSION = "1.0.0";

    private static final System.Logger LOG = System.getLogger(RegistrationFeature.class.getName());

    private final RegistrationConfig config;
    private volatile Registration registration;

    private RegistrationFeature(RegistrationConfig config) {
        this.config = config;
    }

    public static RegistrationFeature create(RegistrationConfig config) {
        return new RegistrationFeature(config);
    }

    public static RegistrationFeature create(Consumer<RegistrationConfig.Builder> consumer) {
        return builder().update(consumer).build();
    }

    public static RegistrationConfig.Builder builder() {
        return RegistrationConfig.builder();
    }

    @Override
    public RegistrationConfig prototype() {
        return config;
    }

    @Override
    public void setup(ServerFeatureContext context) {
        if (!config.enabled()) {
            return;
        }
        SocketBuilders socket = context.socket(WebServer.DEFAULT_SOCKET_NAME);
        Config node = config.config().orElseGet(Config::empty);
        String host = config.advertiseHost()
                .orElseGet(() -> advertiseHost(config.bindHost().orElseGet(() -> context.serverConfig().host()), node));
        // created here, not at start, so a bad registry config fails the server's build with its key
        Registry registry = config.registry().orElseGet(() -> Registries.create(node.get("registry")));
        socket.httpRouting().addFeature(new Lifecycle(registry, config.registry().isEmpty(), host));
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public String type() {
        return NAME;
    }

    @Override
    public double weight() {
        return config.weight();
    }

    /** The registered (or being registered) instance, once the server has started. */
    public Optional<ServiceInstance> instance() {
        Registration r = registration;
        return r == null ? Optional.empty() : Optional.of(r.instance());
    }

    public boolean registered() {
        Registration r = registration;
        return r != null && r.registered();
    }

    /** Why the instance is not registered (yet), for readiness. */
    public String lastError() {
        Registration r = registration;
        return r == null ? "server not started" : r.lastError();
    }

    /** Removes the instance and stops retrying; safe to call more than once. */
    public void deregister() {
        Registration r = registration;
        if (r != null) {
            r.deregister();
        }
    }

    private static String advertiseHost(String bound, Config node) {
        if (!bound.equals("0.0.0.0") && !bound.equals("::") && !bound.isBlank()) {
            return bound;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            throw ConfigErrors.missing(node.get("service.advertise-host"),
                    "the address clients should use (the host name does not resolve: " + e.getMessage() + ")");
        }
    }

    private final class Lifecycle implements HttpFeature {
        private final Registry registry;
        private final boolean ownsRegistry;
        private final String host;

        private Lifecycle(Registry registry, boolean ownsRegistry, String host) {
            this.registry = registry;
            this.ownsRegistry = ownsRegistry;
            this.host = host;
        }

        @Override
        public void setup(HttpRouting.Builder routing) {
        }

        @Override
        public void afterStart(WebServer server) {
            if (!server.isRunning()) {
                return;
            }
            int bound = server.port();
            ServiceInstance instance = InstanceDescription.builder()
                    .id(config.id().orElse(null))
                    .name(config.serviceName().orElseThrow())
                    .version(config.version())
                    .host(host)
                    .port(config.grpcPort().map(p -> p.applyAsInt(bound)).orElse(bound))
                    .metricsPort(bound)
                    .metricsPath(config.metricsPath())
                    .healthPath(config.healthPath())
                    .grpcTransport(config.grpcTransport())
                    .grpcMethods(config.grpcMethods())
                    .tags(config.tags())
                    .metadata(config.metadata())
                    .build();
            Registration r = new Registration(registry, instance);
            registration = r;
            Metrics.getOrCreate(Gauge.builder("meshplay.registry.registered", () -> r.registered() ? 1 : 0)
                    .description("1 while this instance is registered in the registry, 0 while it is not (yet)")
                    .tags(List.of(Tag.create("service", instance.name()), Tag.create("instance", instance.id()),
                            Tag.create("registry", registry.type()))));
            // MeshplayServer logs a line of its own; a plain server has only this one
            LOG.log(ownsRegistry ? Level.INFO : Level.DEBUG, "registering " + instance.id() + " (" + instance.address() + ") in " + registry.type());
            r.start();
        }

        @Override
        public void afterStop() {
            deregister();
            if (ownsRegistry) {
                registry.close();
            }
        }
    }
}
