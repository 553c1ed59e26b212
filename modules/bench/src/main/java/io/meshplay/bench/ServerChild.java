package io.meshplay.bench;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.meshplay.example.service.ExampleService;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.server.MeshplayServer;

/**
 * The server side of the gRPC rows, in its own JVM so its JIT, GC and profile are its own: the same
 * {@link ExampleService} served either by meshplay's Helidon server (config/ as shipped, registered in
 * Consul) or by a plain grpc-java Netty server with its defaults.
 *
 * <p>Usage: {@code ServerChild meshplay <transport> <grpc-port> <observe-port> <service> <consul-address> [key=value ...]}
 * (further config overrides, e.g. {@code tls.mode=connect}), {@code ServerChild netty <port>}, or
 * {@code ServerChild netty-tls <port> <cert.pem> <key.pem> <ca.pem>} (row 7's static mutual TLS, see
 * {@link StaticTlsServer}).
 */
public final class ServerChild {

    private ServerChild() {
    }

    public static void main(String[] args) throws Exception {
        LogConfig.configureRuntime();
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ServerChild meshplay <transport> <grpc-port> <observe-port> <service> "
                    + "<consul-address> [key=value ...] | netty <port> | netty-tls <port> <cert> <key> <ca>");
        }
        switch (args[0]) {
            case "meshplay" -> meshplay(args[1], args[2], args[3], args[4], args[5],
                    java.util.Arrays.asList(args).subList(6, args.length));
            case "netty" -> netty(Integer.parseInt(args[1]));
            case "netty-tls" -> StaticTlsServer.serve(Integer.parseInt(args[1]), args[2], args[3], args[4]);
            default -> throw new IllegalArgumentException("unknown server kind " + args[0]);
        }
    }

    /** On helidon, gRPC shares the observe port: {@code grpcPort} is then the same port and not set. */
    private static void meshplay(String transport, String grpcPort, String observePort, String service, String consul,
                                 java.util.List<String> sets) {
        Map<String, String> overrides = new java.util.HashMap<>(Map.of("grpc.transport", transport, "server.port", observePort,
                "service.name", service, "registry.type", "consul", "registry.consul.address", consul));
        if (!transport.equals("helidon")) {
            overrides.put("grpc.port", grpcPort);
        }
        for (String set : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + set);
            }
            overrides.put(set.substring(0, eq), set.substring(eq + 1));
        }
        Config config = MeshplayConfig.load("server", overrides);
        MeshplayServer.builder().config(config).addService(new ExampleService()).start().closeOnShutdown();
    }

    private static void netty(int port) throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new ExampleService())
                .build()
                .start();
        serveUntilShutdown(server, "grpc-java Netty server on 127.0.0.1:" + server.getPort());
    }

    /** Blocks until the JVM is asked to stop, then stops {@code server} (up to 5 s). */
    static void serveUntilShutdown(Server server, String banner) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "netty-shutdown"));
        System.out.println(banner);
        server.awaitTermination();
    }
}
