package io.meshplay.bench;

import io.grpc.ManagedChannel;

/**
 * The two servers rows 2 and 3 compare, each in its own JVM with the same flags, and one grpc-java
 * fixed-address channel to each (the same client code on both sides).
 */
final class ServerPair implements AutoCloseable {

    static final String MESHPLAY = "meshplay server (Helidon)";
    static final String NETTY = "grpc-java Netty server";

    final ChildJvm meshplay;
    final ChildJvm netty;
    final ManagedChannel toMeshplay;
    final ManagedChannel toNetty;

    private ServerPair(ChildJvm meshplay, ChildJvm netty, ManagedChannel toMeshplay, ManagedChannel toNetty) {
        this.meshplay = meshplay;
        this.netty = netty;
        this.toMeshplay = toMeshplay;
        this.toNetty = toNetty;
    }

    static ServerPair start(BenchEnv env) {
        ChildJvm meshplay = env.meshplayServer("row2-meshplay-server", "bench-server");
        ChildJvm netty;
        try {
            netty = env.nettyServer("row2-netty-server");
        } catch (RuntimeException e) {
            meshplay.close();
            throw e;
        }
        ServerPair pair = new ServerPair(meshplay, netty, Clients.fixed(meshplay.port()), Clients.fixed(netty.port()));
        Clients.awaitFirstCall(pair.toMeshplay, 30);
        Clients.awaitFirstCall(pair.toNetty, 30);
        return pair;
    }

    ManagedChannel channel(String side) {
        return side.equals(MESHPLAY) ? toMeshplay : toNetty;
    }

    ChildJvm child(String side) {
        return side.equals(MESHPLAY) ? meshplay : netty;
    }

    @Override
    public void close() {
        Clients.close(toMeshplay);
        Clients.close(toNetty);
        meshplay.close();
        netty.close();
    }
}
