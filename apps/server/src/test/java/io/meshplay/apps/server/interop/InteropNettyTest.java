package io.meshplay.apps.server.interop;

/** The suite against grpc-java's Netty server hosted in the meshplay runtime ({@code grpc.transport=netty}). */
class InteropNettyTest extends InteropSuite {

    InteropNettyTest() {
        super("netty");
    }
}
