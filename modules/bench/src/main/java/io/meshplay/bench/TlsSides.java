package io.meshplay.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.helidon.config.Config;
import io.meshplay.client.MeshplayClient;
import io.meshplay.client.SecureChannels;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.security.TransportSecurity;

/**
 * Row 7's sides, each a client and a server child JVM: meshplay with {@code tls.mode=connect} (server and
 * {@link MeshplayClient}, leaf and roots from the bench's Consul agent, every call authorized against its
 * intentions), the same meshplay pair in plaintext, and a bare grpc-java pair with static mutual TLS from
 * the very leaf and roots the connect server holds ({@link StaticTlsServer}).
 *
 * <p>Steady load goes through each side's long-lived channel (meshplay's: resolved through Consul). The
 * connection-per-call loop dials each server's fixed address with a new channel per call, sharing one
 * SslContext per side as a long-lived client reconnecting would: meshplay's from {@link SecureChannels},
 * the static pair's from its PEM files.
 */
final class TlsSides implements AutoCloseable {

    static final String MTLS = "meshplay mTLS (connect)";
    static final String PLAIN = "meshplay plaintext";
    static final String STATIC = "grpc-java static mTLS";
    static final List<String> ALL = List.of(MTLS, PLAIN, STATIC);

    /** The services the two meshplay servers register as, and who the clients are. */
    static final String CONNECT_SERVICE = "bench-tls-connect";
    static final String PLAIN_SERVICE = "bench-tls-plain";
    static final String CLIENT_IDENTITY = "bench-tls-client";

    private final Map<String, ChildJvm> servers = new LinkedHashMap<>();
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    private final Map<String, SslContext> contexts = new HashMap<>();
    private final List<AutoCloseable> closers = new ArrayList<>();

    private TlsSides() {
    }

    static TlsSides start(BenchEnv env) {
        TlsSides sides = new TlsSides();
        try {
            sides.servers.put(MTLS, env.meshplayServer("row7-meshplay-connect", CONNECT_SERVICE, "netty",
                    Map.of("tls.mode", "connect")));
            sides.servers.put(PLAIN, env.meshplayServer("row7-meshplay-plain", PLAIN_SERVICE, "netty"));

            ConnectPems pems = ConnectPems.in(env.outDir, env.consul.httpAddress());
            sides.closers.add(pems);
            ConnectPems.Leaf serverLeaf = pems.leaf(CONNECT_SERVICE);
            ConnectPems.Leaf clientLeaf = pems.leaf(CLIENT_IDENTITY);
            java.nio.file.Path ca = pems.roots();
            sides.servers.put(STATIC, env.staticTlsServer("row7-static-tls", serverLeaf.cert(), serverLeaf.key(), ca));
            sides.contexts.put(STATIC, StaticTlsServer.clientContext(clientLeaf.cert().toFile(), clientLeaf.key().toFile(), ca.toFile()));

            MeshplayClient plain = sides.closing(MeshplayClient.create(Clients.meshplayConfig(env)));
            MeshplayClient mtls = sides.closing(MeshplayClient.create(connectConfig(env), CLIENT_IDENTITY));
            sides.channels.put(MTLS, mtls.channel(CONNECT_SERVICE));
            sides.channels.put(PLAIN, plain.channel(PLAIN_SERVICE));
            sides.channels.put(STATIC, sides.closing(fixed(sides.servers.get(STATIC).port(), Optional.of(sides.contexts.get(STATIC)))));

            Optional<TransportSecurity> security = SecureChannels.open(connectConfig(env), CLIENT_IDENTITY);
            security.ifPresent(sides.closers::add);
            sides.contexts.put(MTLS, SecureChannels.sslContext(security.orElseThrow(), CONNECT_SERVICE));
            // meshplay's instances are usable once Consul's first check passed (staggered up to the check interval)
            sides.channels.values().forEach(c -> Clients.awaitFirstCall(c, 60));
            // and one new connection to each, so a handshake that cannot succeed fails the row instead of counting errors
            for (String side : ALL) {
                sides.connectionPerCall(side).get().call();
            }
            return sides;
        } catch (Exception e) {
            sides.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("row 7: a first new connection failed: " + e, e);
        }
    }

    /** A meshplay client's root config on the bench's Consul with {@code tls.mode=connect}. */
    private static Config connectConfig(BenchEnv env) {
        return MeshplayConfig.of(Map.of(
                "registry.type", "consul",
                "registry.consul.address", env.consul.httpAddress(),
                "tls.mode", "connect"));
    }

    ChildJvm server(String side) {
        return servers.get(side);
    }

    /** Steady load on the side's long-lived channel. */
    Supplier<ClosedLoop.Op> unary(String side) {
        return Clients.unary(channels.get(side));
    }

    /**
     * A new connection per call: a fresh channel to the side's server (TCP, and the TLS handshake unless
     * plaintext), one unary call, then the channel closed. Each call is therefore one new connection.
     */
    Supplier<ClosedLoop.Op> connectionPerCall(String side) {
        int port = servers.get(side).port();
        Optional<SslContext> tls = Optional.ofNullable(contexts.get(side));
        return () -> () -> {
            ManagedChannel channel = fixed(port, tls);
            try {
                ExampleGrpc.newBlockingStub(channel).withDeadlineAfter(Clients.DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
                        .call(Clients.REQUEST);
            } finally {
                Clients.close(channel);
            }
        };
    }

    private static ManagedChannel fixed(int port, Optional<SslContext> tls) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", port).withOption(ChannelOption.TCP_NODELAY, true);
        tls.ifPresentOrElse(c -> builder.useTransportSecurity().sslContext(c), builder::usePlaintext);
        return builder.build();
    }

    private <T extends AutoCloseable> T closing(T resource) {
        closers.add(resource);
        return resource;
    }

    private ManagedChannel closing(ManagedChannel channel) {
        closers.add(() -> Clients.close(channel));
        return channel;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closers.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("bench: row 7 could not close " + c + ": " + e);
            }
        }
        new ArrayList<>(servers.values()).forEach(ChildJvm::close);
    }
}
