package io.meshplay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.grpc.ManagedChannel;
import io.meshplay.testing.Ports;

/**
 * The servers rows 2 and 3 compare, each in its own JVM with the same flags, and one grpc-java
 * fixed-address channel to each (the same client code on every side): meshplay on both gRPC transports
 * and a bare grpc-java Netty server as the reference.
 */
final class ServerSides implements AutoCloseable {

    static final String MESHPLAY_NETTY = "meshplay server (netty transport)";
    static final String MESHPLAY_HELIDON = "meshplay server (helidon transport)";
    static final String NETTY = "grpc-java Netty server";
    /** The meshplay sides, the default transport first; each is compared with {@link #NETTY}. */
    static final List<String> MESHPLAY = List.of(MESHPLAY_NETTY, MESHPLAY_HELIDON);
    static final List<String> ALL = List.of(MESHPLAY_NETTY, MESHPLAY_HELIDON, NETTY);

    private final Map<String, ChildJvm> children = new LinkedHashMap<>();
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();

    private ServerSides() {
    }

    static ServerSides start(BenchEnv env) {
        ServerSides sides = new ServerSides();
        try {
            for (String transport : List.of("netty", "helidon")) {
                ServerPorts ports = ServerPorts.free();
                String side = transport.equals("netty") ? MESHPLAY_NETTY : MESHPLAY_HELIDON;
                sides.add(side, env.meshplayServer("row2-meshplay-" + transport, "bench-server-" + transport, transport, ports),
                        ports.grpcOn(transport));
            }
            int port = Ports.free();
            sides.add(NETTY, env.nettyServer("row2-netty-server", port), port);
            sides.channels.values().forEach(c -> Clients.awaitFirstCall(c, 30));
            return sides;
        } catch (RuntimeException e) {
            sides.close();
            throw e;
        }
    }

    private void add(String side, ChildJvm child, int grpcPort) {
        children.put(side, child);
        channels.put(side, Clients.fixed(grpcPort));
    }

    ManagedChannel channel(String side) {
        return channels.get(side);
    }

    ChildJvm child(String side) {
        return children.get(side);
    }

    @Override
    public void close() {
        channels.values().forEach(Clients::close);
        new ArrayList<>(children.values()).forEach(ChildJvm::close);
    }
}
