package io.meshplay.server;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.grpc.ServerServiceDefinition;
import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.meshplay.security.TransportSecurity;

/**
 * What carries gRPC for a {@link MeshplayServer}, chosen by {@code grpc.transport}. Both serve the same
 * service definitions (interceptors applied by the runtime), grpc.health.v1 and reflection; Helidon's
 * WebServer keeps config, health, metrics and the observe endpoints either way.
 *
 * <ul>
 *   <li>{@code netty} (default): a grpc-java Netty server in the same runtime, on {@code grpc.port}; the
 *   observe endpoints stay on {@code server.port}.</li>
 *   <li>{@code helidon}: Helidon's gRPC routing on the WebServer's own port. Its HTTP/2 rejects gRPC
 *   C-core clients (Python, C++, Ruby, PHP): see README, "gRPC transport".</li>
 * </ul>
 *
 * <p>Under {@code tls.mode != off} only the gRPC port speaks TLS; the observe port stays plain HTTP on
 * purpose: Consul's HTTP check and Prometheus' scrapes reach it without client certificates (Consul's
 * agent has no leaf of its own to present, Prometheus none for every mode), and what it serves (health,
 * metrics) is not application data. Keep it on a host-local or cluster-internal address.
 */
sealed interface GrpcTransport permits NettyGrpcTransport, HelidonGrpcTransport {

    String NETTY = "netty";
    String HELIDON = "helidon";

    /** {@code grpc.transport} as configured, before anything is opened. */
    static String configured(Config root) {
        return ServerOptions.GRPC_TRANSPORT.get(root);
    }

    /**
     * @param root     the root config: reads {@code grpc.*} and the {@code server.*} keys both transports share
     * @param security TLS for gRPC; only the netty transport takes it ({@link MeshplayServer} refuses helidon with TLS)
     * @param service  the service name, which calls are authorized against
     */
    static GrpcTransport create(Config root, Optional<TransportSecurity> security, String service) {
        return switch (configured(root)) {
            case NETTY -> NettyGrpcTransport.create(root, security, service);
            default -> new HelidonGrpcTransport(ServerOptions.GRPC_MAX_INBOUND_MESSAGE_SIZE.get(root));
        };
    }

    /** {@code netty} or {@code helidon}: registered as instance metadata. */
    String name();

    /** The WebServer's config ({@code server.*}) as this transport needs it. */
    default Config webServerConfig(Config server) {
        return server;
    }

    /**
     * Starts serving before the WebServer starts, so the instance registered once the WebServer is up
     * already carries the gRPC port.
     */
    void start(WebServerConfig.Builder webServer, List<ServerServiceDefinition> services);

    /** The port gRPC clients connect to, once started, given the port the WebServer bound. */
    int port(int webServerPort);

    /** Stops accepting and ends remaining calls, waiting up to {@code grace}; before the WebServer stops. */
    void stop(Duration grace);
}
