package io.meshplay.server;

import java.time.Duration;
import java.util.List;

import io.grpc.ServerServiceDefinition;
import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;

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
 */
sealed interface GrpcTransport permits NettyGrpcTransport, HelidonGrpcTransport {

    String NETTY = "netty";
    String HELIDON = "helidon";

    /** @param root the root config: reads {@code grpc.*} and the {@code server.*} keys both transports share */
    static GrpcTransport create(Config root) {
        return switch (ServerOptions.GRPC_TRANSPORT.get(root)) {
            case NETTY -> NettyGrpcTransport.create(root);
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
