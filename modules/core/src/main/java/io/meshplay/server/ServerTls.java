package io.meshplay.server;

import javax.net.ssl.SSLException;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.meshplay.security.TransportSecurity;

/**
 * The gRPC server's SslContext, built once over the mode's live key and trust managers: they are asked
 * on every handshake, so a reloaded certificate or a rotated CA applies to the next connection without a
 * new SslContext, and connections already open are not disturbed.
 */
final class ServerTls {

    private ServerTls() {
    }

    static SslContext sslContext(TransportSecurity security) {
        ClientAuth clientAuth = security.requireClientCertificate() ? ClientAuth.REQUIRE
                : security.requestClientCertificate() ? ClientAuth.OPTIONAL : ClientAuth.NONE;
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(security.keyManager()))
                    .trustManager(security.trustManager())
                    .clientAuth(clientAuth)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the gRPC server (tls.mode=" + security.mode() + "): "
                    + e.getMessage(), e);
        }
    }
}
