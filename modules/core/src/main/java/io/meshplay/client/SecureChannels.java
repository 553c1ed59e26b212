package io.meshplay.client;

import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLException;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.helidon.config.Config;
import io.meshplay.security.Side;
import io.meshplay.security.TransportSecurities;
import io.meshplay.security.TransportSecurity;

/**
 * The client half of {@code tls.*}, for every channel meshplay builds: {@link MeshplayClient}'s pooled
 * ones and the CLI's direct ones to a single instance. One SslContext per service, over the mode's live
 * managers, so a reloaded or rotated certificate applies to the next connection.
 */
public final class SecureChannels {

    /** How long a channel waits for the mode's first certificate (connect: the agent's leaf) before failing. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private SecureChannels() {
    }

    /**
     * The client side of {@code tls.mode}, as {@code tls.identity} (default {@code appName}); empty when off.
     * The caller closes it.
     */
    public static Optional<TransportSecurity> open(Config root, String appName) {
        return TransportSecurities.open(root, Side.CLIENT, TransportSecurities.identity(root, appName));
    }

    /**
     * Configures {@code channel} for calls to {@code service}: TLS as {@code security} says (the server must
     * be {@code service}), or plaintext when empty.
     *
     * @throws IllegalStateException if the mode has no certificate within {@link #READY_TIMEOUT}
     */
    public static NettyChannelBuilder configure(NettyChannelBuilder channel, Optional<TransportSecurity> security, String service) {
        if (security.isEmpty()) {
            return channel.usePlaintext();
        }
        return channel.useTransportSecurity().sslContext(sslContext(security.get(), service));
    }

    /**
     * The client SslContext {@link #configure} sets for {@code service}: the mode's live key manager and a trust
     * manager that also asks {@link TransportSecurity#verifyServer}. Public for callers that open many
     * channels to one service and share one context among them (the bench's connection-per-call loop).
     *
     * @throws IllegalStateException if the mode has no certificate within {@link #READY_TIMEOUT}
     */
    public static SslContext sslContext(TransportSecurity security, String service) {
        try {
            if (!security.awaitReady(READY_TIMEOUT)) {
                throw new IllegalStateException("tls.mode=" + security.mode() + " has no certificate after "
                        + READY_TIMEOUT.toSeconds() + " s; cannot call " + service
                        + security.problem().map(p -> " (" + p + ")").orElse(""));
            }
            return GrpcSslContexts.forClient()
                    .keyManager(security.keyManager())
                    .trustManager(new ServerVerifyingTrustManager(security, service))
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for tls.mode=" + security.mode(), e);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS to " + service + " (tls.mode=" + security.mode() + "): "
                    + e.getMessage(), e);
        }
    }
}
