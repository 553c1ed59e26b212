package io.meshplay.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServerConfig;
import io.meshplay.security.TransportSecurity;

/**
 * gRPC through grpc-java's Netty server, on its own port: the transport every conformant client can
 * call (Helidon's HTTP/2 refuses the literal-name {@code :path} that gRPC C-core sends).
 */
final class NettyGrpcTransport implements GrpcTransport {

    private final Config portNode;
    private final String host;
    private final int port;
    private final boolean tcpNoDelay;
    private final boolean metrics;
    private final boolean reflection;
    private final int maxInboundMessageSize;
    private final Optional<TransportSecurity> security;
    private final String service;
    private Server server;

    private NettyGrpcTransport(Config portNode, String host, int port, boolean tcpNoDelay, boolean metrics, boolean reflection,
                               int maxInboundMessageSize, Optional<TransportSecurity> security, String service) {
        this.portNode = portNode;
        this.host = host;
        this.port = port;
        this.tcpNoDelay = tcpNoDelay;
        this.metrics = metrics;
        this.reflection = reflection;
        this.maxInboundMessageSize = maxInboundMessageSize;
        this.security = security;
        this.service = service;
    }

    /**
     * @param security TLS for the gRPC port (the observe port stays plain HTTP: see {@link GrpcTransport})
     * @param service  the service name calls are authorized against
     */
    static NettyGrpcTransport create(Config root, Optional<TransportSecurity> security, String service) {
        Config portNode = root.get(ServerOptions.GRPC_PORT.key());
        int port = ServerOptions.GRPC_PORT.get(root);
        String host = ServerOptions.GRPC_HOST.find(root).orElseGet(() -> ServerOptions.SERVER_HOST.get(root));
        // one switch per concern for both transports: the keys Helidon's gRPC routing reads
        boolean tcpNoDelay = ServerOptions.TCP_NO_DELAY.get(root);
        boolean metrics = ServerOptions.GRPC_METRICS.get(root);
        boolean reflection = ServerOptions.GRPC_REFLECTION.find(root).orElseGet(() -> ServerOptions.REFLECTION_FEATURE.get(root));
        return new NettyGrpcTransport(portNode, host, port, tcpNoDelay, metrics, reflection,
                ServerOptions.GRPC_MAX_INBOUND_MESSAGE_SIZE.get(root), security, service);
    }

    /**
     * Reflection is grpc-java's here, on the gRPC port: Helidon's reflection feature would find no gRPC
     * routes on the WebServer and warn at every start.
     */
    @Override
    public Config webServerConfig(Config server) {
        return Config.just(ConfigSources.create(Map.of("features.grpc-reflection.enabled", "false")),
                ConfigSources.create(server));
    }

    @Override
    public String name() {
        return NETTY;
    }

    @Override
    public void start(WebServerConfig.Builder webServer, List<ServerServiceDefinition> services) {
        TransportLogGuard.netty();
        InetSocketAddress address = new InetSocketAddress(host, port);
        NettyServerBuilder builder = security.isEmpty() ? NettyServerBuilder.forAddress(address)
                : NettyServerBuilder.forAddress(address, InternalNettyServerCredentials.create(
                        new SecureServerNegotiator(ServerTls.sslContext(security.get()), security.get().permissive())));
        // every service, reflection included, is authorized (grpc.health.v1 is let through: see CallAuthorization)
        security.ifPresent(s -> builder.intercept(new CallAuthorization(s, service)));
        builder.withChildOption(ChannelOption.TCP_NODELAY, tcpNoDelay)
                // grpc-java answers a larger request RESOURCE_EXHAUSTED itself; NettyRejections counts it
                .maxInboundMessageSize(maxInboundMessageSize)
                .addStreamTracerFactory(new NettyRejections());
        if (metrics) {
            builder.addStreamTracerFactory(new GrpcServerMetrics());
        }
        services.forEach(builder::addService);
        if (reflection) {
            builder.addService(ProtoReflectionServiceV1.newInstance());
            builder.addService(ProtoReflectionService.newInstance());
        }
        try {
            server = builder.build().start();
        } catch (IOException e) {
            if (inUse(e)) {
                throw ServerOptions.bindFailure(portNode.key().toString(), port, host, e);
            }
            throw new UncheckedIOException("cannot listen for gRPC on " + host + ":" + port + " (config key "
                    + portNode.key() + "): " + e.getMessage(), e);
        }
    }

    /** grpc-java wraps the bind failure (a BindException, or netty's native "Address already in use") in its own IOException. */
    private static boolean inUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("already in use")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int port(int webServerPort) {
        return server.getPort();
    }

    @Override
    public void stop(Duration grace) {
        if (server == null) {
            return;
        }
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }
}
