package io.meshplay.apps.gateway;

import java.lang.System.Logger.Level;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.webserver.http.HttpService;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.client.ClientOptions;
import io.meshplay.client.MeshplayClient;
import io.meshplay.client.SecureChannels;
import io.meshplay.config.Options;
import io.meshplay.dashboard.DashboardOptions;
import io.meshplay.dashboard.DashboardService;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.security.TransportSecurity;
import io.meshplay.server.MeshplayServer;
import io.meshplay.server.ServerOptions;

/**
 * The gateway ({@code micro api}) and the dashboard on one WebServer ({@code server.port}), run by the same
 * server runtime as every meshplay server: it registers as {@code service.name} (gRPC health on its gRPC port,
 * the HTTP port as {@code metrics_port}), serves {@code /observe/metrics} and {@code /observe/health}, traces
 * when {@code tracing.enabled}, and calls services through the client runtime (resolver, round robin,
 * retries, outlier ejection, the {@code tls.mode} identity).
 */
public final class Gateway implements AutoCloseable {

    /** Every key the gateway reads, checked at start and listed by {@code --help}. */
    public static final Options OPTIONS = ServerOptions.OPTIONS.and(ClientOptions.OPTIONS.under("client"))
            .and(GatewayOptions.OPTIONS).and(DashboardOptions.OPTIONS);

    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private final Registry registry;
    private final Optional<TransportSecurity> security;
    private final Optional<Broker> broker;
    private MeshplayServer server;
    private MeshplayClient client;
    private boolean closed;

    private Gateway(Registry registry, Optional<TransportSecurity> security, Optional<Broker> broker) {
        this.registry = registry;
        this.security = security;
        this.broker = broker;
    }

    /** Starts the gateway from the root config; the caller closes it. */
    public static Gateway start(Config config) {
        GatewayOptions options = GatewayOptions.from(config.get("gateway"));
        Registry registry = Registries.create(config.get("registry"));
        Gateway gateway = null;
        try {
            // calls go out as the gateway's own identity under tls.mode (tls.identity, default service.name)
            Optional<TransportSecurity> security = SecureChannels.open(config, config.get("service.name").asString().orElse("gateway"));
            gateway = new Gateway(registry, security, dashboardBroker(config));
            MethodCatalog catalog = new MethodCatalog(registry, security, options);
            Routes routes = new Routes(catalog, new AnnotatedRoutes(registry, catalog, config.get("service.name").asString().orElse("gateway")),
                    options);
            // the dashboard: its page at /, its own API under /_/dashboard/; before the gateway's routes, which take
            // every other POST /{a}/{b}/{c}
            HttpService dashboard = DashboardService.create(config.get("dashboard"), registry, gateway.broker);
            gateway.server = MeshplayServer.builder().config(config).registry(registry)
                    .routing(r -> r.register("/", dashboard).register("/", routes))
                    .start();
            gateway.client = MeshplayClient.create(registry, ClientOptions.from(config.get("client")), security)
                    .tracing(gateway.server.tracing());
            routes.start(gateway.client, gateway.server.tracing());
            LOG.log(Level.INFO, "gateway and dashboard on http://" + config.get("server.host").asString().orElse("127.0.0.1") + ":"
                    + gateway.server.observePort() + "/ (calls: POST /{service}/{grpc-service}/{method})");
            return gateway;
        } catch (RuntimeException e) {
            if (gateway != null) {
                gateway.close();
            } else {
                registry.close();
            }
            throw e;
        }
    }

    /** The broker whose queues the dashboard shows; none (and a warning) when it cannot be opened. */
    private static Optional<Broker> dashboardBroker(Config config) {
        try {
            return Optional.of(Brokers.create(config.get("broker")));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the dashboard shows no queues: broker '" + config.get("broker.type").asString().orElse("?")
                    + "' did not open: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The HTTP port: calls, the dashboard and the observe endpoints. */
    public int port() {
        return server.observePort();
    }

    public MeshplayServer server() {
        return server;
    }

    /** Closes the gateway on SIGTERM/Ctrl-C: deregisters first, as every server does. */
    public Gateway closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "meshplay-gateway-shutdown"));
        return this;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
        security.ifPresent(TransportSecurity::close);
        broker.ifPresent(Broker::close);
        registry.close();
    }
}
