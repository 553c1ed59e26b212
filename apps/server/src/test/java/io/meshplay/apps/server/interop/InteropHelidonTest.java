package io.meshplay.apps.server.interop;

/** The suite against Helidon's own gRPC routing ({@code grpc.transport=helidon}). */
class InteropHelidonTest extends InteropSuite {

    InteropHelidonTest() {
        super("helidon");
    }
}
