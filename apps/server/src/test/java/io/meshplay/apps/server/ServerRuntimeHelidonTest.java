package io.meshplay.apps.server;

/** The runtime cases on Helidon's gRPC routing, which shares the WebServer's port. */
class ServerRuntimeHelidonTest extends ServerRuntimeCases {

    @Override
    String transport() {
        return "helidon";
    }

    @Override
    String grpcPortKey() {
        return "server.port";
    }
}
