package io.meshplay.apps.server.badinput;

/** The gRPC bad-input catalogue on the netty transport. */
class GrpcNettyBadInputCatalogTest extends GrpcBadInputCases {

    @Override
    String transport() {
        return "netty";
    }
}
