package io.meshplay.bench;

import io.meshplay.testing.Ports;

/**
 * The two ports a meshplay server child listens on: gRPC ({@code grpc.port}) and the observe endpoints
 * ({@code server.port}); on the helidon transport gRPC shares the observe port.
 */
record ServerPorts(int grpc, int observe) {

    static ServerPorts free() {
        int[] ports = Ports.free(2);
        return new ServerPorts(ports[0], ports[1]);
    }

    /** The {@code --set}/config overrides that put a server on these ports with the given transport. */
    java.util.Map<String, String> config(String transport) {
        java.util.Map<String, String> sets = new java.util.LinkedHashMap<>();
        sets.put("grpc.transport", transport);
        sets.put("server.port", Integer.toString(observe));
        if (!transport.equals("helidon")) {
            sets.put("grpc.port", Integer.toString(grpc));
        }
        return sets;
    }

    /** The port gRPC clients dial on that transport. */
    int grpcOn(String transport) {
        return transport.equals("helidon") ? observe : grpc;
    }
}
