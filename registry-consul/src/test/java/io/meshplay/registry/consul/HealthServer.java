package io.meshplay.registry.consul;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;

/**
 * A real gRPC server with grpc.health.v1 on a loopback port: what Consul's gRPC check calls.
 * {@link #main(String[])} runs one as a separate process, for tests that kill it with SIGKILL.
 */
final class HealthServer implements AutoCloseable {

    private final Server server;
    private final HealthStatusManager health;
    private final int port;

    private HealthServer(Server server, HealthStatusManager health, int port) {
        this.server = server;
        this.health = health;
        this.port = port;
    }

    /** In this JVM, on a port the OS picks as it binds: nothing can take it in between. */
    static HealthServer start() {
        return start(0);
    }

    static HealthServer start(int port) {
        HealthStatusManager health = new HealthStatusManager();
        try {
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(health.getHealthService())
                    .build()
                    .start();
            return new HealthServer(server, health, server.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a gRPC health server on " + port, e);
        }
    }

    int port() {
        return port;
    }

    void serving(boolean serving) {
        health.setStatus("", serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a health server on the port given as the only argument until killed. */
    public static void main(String[] args) throws InterruptedException {
        HealthServer server = start(Integer.parseInt(args[0]));
        System.out.println("serving grpc.health.v1 on 127.0.0.1:" + server.port());
        server.server.awaitTermination();
    }
}
