package io.meshplay.apps.server.badinput;

/** The gRPC bad-input catalogue on the helidon transport. */
class GrpcHelidonBadInputCatalogTest extends GrpcBadInputCases {

    @Override
    String transport() {
        return "helidon";
    }

    @Override
    boolean cancelledStreamsEndPromptly() {
        // Helidon 4.4.0: a reset while the writer waits for credit is not always delivered, and now and then
        // some of 2,000 streams never send a first response and stay open past their deadline (1 and 10 of
        // 2,000 in two runs): the log part of G-6 is asserted, the stream counts only reported
        return false;
    }
}
