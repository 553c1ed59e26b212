package io.meshplay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.helidon.common.tls.Tls;
import io.helidon.config.Config;
import io.helidon.webclient.grpc.GrpcClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;

/** The clients the rows compare, each built the way its users would build it. */
final class Clients {

    static final Request REQUEST = Request.newBuilder().setName("bench").build();
    /** Long enough never to cut a slow call on a loaded machine, short enough that a hang cannot stall the bench. */
    static final long DEADLINE_SECONDS = 10;

    private Clients() {
    }

    /** A grpc-java Netty channel to a fixed address: what a user without a registry writes. */
    static ManagedChannel fixed(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .withOption(ChannelOption.TCP_NODELAY, true)
                .build();
    }

    /**
     * Helidon's own gRPC client to a fixed address, with the two settings STACK.md says it needs:
     * TLS explicitly off (it tries TLS even for http://) and tcp-no-delay on.
     */
    static GrpcClient helidon(int port) {
        return GrpcClient.builder()
                .tls(Tls.builder().enabled(false).build())
                .baseUri("http://127.0.0.1:" + port)
                .socketOptions(o -> o.tcpNoDelay(true))
                .build();
    }

    /** The root config of a meshplay client on the bench's Consul: built-in defaults plus the registry. */
    static Config meshplayConfig(BenchEnv env) {
        return MeshplayConfig.of(Map.of(
                "registry.type", "consul",
                "registry.consul.address", env.consul.httpAddress()));
    }

    /** Unary {@code Example/Call} on {@code channel}, one stub per worker. */
    static Supplier<ClosedLoop.Op> unary(Channel channel) {
        return () -> {
            ExampleGrpc.ExampleBlockingStub stub = ExampleGrpc.newBlockingStub(channel);
            return () -> stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).call(REQUEST);
        };
    }

    /** Blocks until {@code channel} answers one call (a resolved channel waits for the registry). */
    static void awaitFirstCall(Channel channel, long seconds) {
        ExampleGrpc.newBlockingStub(channel).withWaitForReady().withDeadlineAfter(seconds, TimeUnit.SECONDS).call(REQUEST);
    }

    static void close(ManagedChannel channel) {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sockets in TIME_WAIT on this machine now ({@code /proc/net/sockstat}); -1 if unknown. */
    static long timeWaitSockets() {
        try {
            Matcher m = Pattern.compile("TCP:.*\\btw (\\d+)").matcher(Files.readString(Path.of("/proc/net/sockstat")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
