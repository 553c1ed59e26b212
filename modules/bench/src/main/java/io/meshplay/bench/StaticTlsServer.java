package io.meshplay.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.meshplay.example.service.ExampleService;

/**
 * Row 7's reference: the client/server pair a grpc-java user writes for mutual TLS with certificates from
 * PEM files, and nothing of meshplay on the call path. The SslContexts come from grpc-java's own helpers
 * ({@code GrpcSslContexts}, same provider choice as meshplay's), loaded once, never reloaded, no per-call
 * authorization. The client checks the chain but not the host name (Connect leaves name a SPIFFE ID, not a
 * host), with grpc-java's {@code AdvancedTlsX509TrustManager} in {@code CERTIFICATE_ONLY_VERIFICATION}.
 */
final class StaticTlsServer {

    private StaticTlsServer() {
    }

    /** Serves Example on 127.0.0.1:{@code port} over mutual TLS until the JVM is asked to stop. */
    static void serve(int port, String cert, String key, String ca) throws Exception {
        SslContext tls = GrpcSslContexts.forServer(new File(cert), new File(key))
                .trustManager(new File(ca))
                .clientAuth(ClientAuth.REQUIRE)
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .sslContext(tls)
                .addService(new ExampleService())
                .build()
                .start();
        ServerChild.serveUntilShutdown(server, "grpc-java Netty server with static mutual TLS on 127.0.0.1:" + server.getPort());
    }

    /** The client half: presents {@code cert}/{@code key}, trusts {@code ca}, host name unchecked. */
    static SslContext clientContext(File cert, File key, File ca) {
        try {
            AdvancedTlsX509TrustManager trust = AdvancedTlsX509TrustManager.newBuilder()
                    .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                    .build();
            trust.updateTrustCredentials(ca);
            return GrpcSslContexts.forClient().keyManager(cert, key).trustManager(trust).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the static TLS client context from " + cert + ", " + ca + ": " + e, e);
        }
    }
}
