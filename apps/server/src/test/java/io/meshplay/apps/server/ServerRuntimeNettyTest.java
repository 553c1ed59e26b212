package io.meshplay.apps.server;

/** The runtime cases on the default transport, grpc-java's Netty server. */
class ServerRuntimeNettyTest extends ServerRuntimeCases {

    @Override
    String transport() {
        return "netty";
    }

    @Override
    String grpcPortKey() {
        return "grpc.port";
    }
}
