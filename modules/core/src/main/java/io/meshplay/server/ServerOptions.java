package io.meshplay.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.config.Startup;
import io.meshplay.config.StartupException;

/**
 * The root-config keys of a {@link MeshplayServer}: read through these declarations, and listed by an
 * app's {@code --help} from {@link #OPTIONS}. Some are read by Helidon too ({@code server.*}) or only by
 * {@link RegistrationConfig}'s blueprint ({@code service.version}, {@code service.advertise-host}); they
 * are declared here so that help shows every key a server takes, with the blueprint's defaults.
 */
public final class ServerOptions {

    private static final String PORT = "a port 0..65535 (0 picks a free one)";

    static final Option<String> SERVICE_NAME = Option.string("service.name",
            "the service name clients resolve, e.g. example");
    static final Option<String> SERVICE_VERSION = Option.string("service.version",
            "version registered with the instance").defaultValue(RegistrationFeature.DEFAULT_VERSION);
    static final Option<String> ADVERTISE_HOST = Option.string("service.advertise-host",
            "address registered for clients").defaultShown("server.host");
    static final Option<Duration> SHUTDOWN_TIMEOUT = Option.duration("service.shutdown-timeout",
            "in-flight calls get this long to finish on shutdown, after deregistration").defaultValue(Duration.ofSeconds(10));
    static final Option<String> GRPC_TRANSPORT = Option.oneOf("grpc.transport",
                    "netty: every gRPC client, on grpc.port; helidon: Helidon's routing on server.port",
                    List.of(GrpcTransport.NETTY, GrpcTransport.HELIDON))
            .expected("'" + GrpcTransport.NETTY + "' (grpc-java's Netty server) or '" + GrpcTransport.HELIDON
                    + "' (Helidon's gRPC routing on server.port)")
            .defaultValue(GrpcTransport.NETTY);
    static final Option<Integer> GRPC_PORT = Option.integer("grpc.port",
            "gRPC listen port with the netty transport; 0 picks a free one").range(0, 65535, PORT).defaultValue(0);
    static final Option<String> GRPC_HOST = Option.string("grpc.host", "gRPC listen address").defaultShown("server.host");
    static final Option<Boolean> GRPC_REFLECTION = Option.bool("grpc.reflection",
            "serve gRPC reflection on the netty transport").defaultShown("server.features.grpc-reflection.enabled");
    /** gRPC's own default (grpc-java's maxInboundMessageSize); Helidon's is 2 MB, so both transports get this one. */
    static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;
    static final Option<Integer> GRPC_MAX_INBOUND_MESSAGE_SIZE = Option.integer("grpc.max-inbound-message-size",
                    "largest request message in bytes, on either transport; a larger one is answered RESOURCE_EXHAUSTED")
            .range(1024, 1024 * 1024 * 1024, "a size in bytes from 1024 to 1073741824 (1 GiB)")
            .defaultValue(DEFAULT_MAX_INBOUND_MESSAGE_SIZE);
    static final Option<String> SERVER_HOST = Option.string("server.host", "listen address").defaultValue("127.0.0.1");
    static final Option<Integer> SERVER_PORT = Option.integer("server.port",
            "observe endpoints' port (metrics, health; gRPC too on helidon); 0 picks a free one").range(0, 65535, PORT).defaultValue(0);
    static final Option<Boolean> TCP_NO_DELAY = Option.bool("server.connection-options.tcp-no-delay",
            "Nagle off; on costs 40 ms delayed-ACK stalls per unary call").defaultValue(true);
    static final Option<Boolean> GRPC_METRICS = Option.bool("server.protocols.grpc.enable-metrics",
            "grpc_server_call_* meters").defaultValue(true);
    static final Option<Boolean> REFLECTION_FEATURE = Option.bool("server.features.grpc-reflection.enabled",
            "gRPC reflection, on either transport").defaultValue(true);

    // read by the registration blueprint from the root node; declared so help lists them and they are known keys
    static final Option<String> SERVICE_ID = Option.string("service.id", "instance id").defaultShown("<name>-<host>-<port>");
    static final Option<List<String>> SERVICE_TAGS = Option.list("service.tags", "tags registered after grpc, metrics, v<version>");
    static final Option<Map<String, String>> SERVICE_METADATA = Option.map("service.metadata",
            "metadata registered beside the well-known keys, which win", key -> !key.isBlank(), "a non-empty key");

    public static final Options OPTIONS = Options.of(SERVICE_NAME, SERVICE_VERSION, ADVERTISE_HOST, SERVICE_ID, SERVICE_TAGS,
            SERVICE_METADATA, SHUTDOWN_TIMEOUT,
            GRPC_TRANSPORT, GRPC_PORT, GRPC_HOST, GRPC_REFLECTION, GRPC_MAX_INBOUND_MESSAGE_SIZE, SERVER_HOST, SERVER_PORT, TCP_NO_DELAY, GRPC_METRICS,
            REFLECTION_FEATURE).and(io.meshplay.security.TransportSecurities.options())
            .and(io.meshplay.tracing.TracingOptions.OPTIONS);

    private ServerOptions() {
    }

    /** Why the WebServer did not start: a port in use as {@link #bindFailure} on {@code server.port}, else the error itself. */
    static RuntimeException webServerFailure(io.helidon.config.Config config, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return bindFailure(SERVER_PORT.key(), SERVER_PORT.get(config), SERVER_HOST.get(config), e);
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException("the web server did not start: " + e, e);
    }

    /**
     * A port someone else listens on, as one line naming the key: {@code server.port 8080: address already in
     * use}. Exit code 1: the configuration is valid, the machine is busy.
     */
    static StartupException bindFailure(String key, int port, String host, Throwable cause) {
        return new StartupException(key + " " + port + ": address already in use on " + host
                + " (another process listens there; 0 picks a free port)", Startup.FAILED, cause);
    }
}
