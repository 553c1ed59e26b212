package io.meshplay.server;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLException;

import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.handler.ssl.NotSslRecordException;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.meshplay.observe.RateLimitedLog;

/**
 * How the Netty transport opens a connection under {@code tls.mode != off}: grpc-java's own server TLS
 * negotiation (which puts the SSL session into the call attributes), with two additions grpc-java has no
 * switch for.
 *
 * <ul>
 *   <li><b>Permissive</b>: the first bytes of a connection decide. A TLS ClientHello starts with a TLS record
 *   header; an HTTP/2 plaintext client starts with the connection preface ({@code PRI * HTTP/2.0}), which is
 *   never a valid record. So one port serves both, without a second listener clients would have to know.</li>
 *   <li><b>Failed handshakes are logged</b> once per peer address per 10 minutes and counted in
 *   {@code grpc.server.tls.handshake.failed}: a client with a certificate the CA did not sign, or a plaintext
 *   client on a TLS-only port, is the client's problem, but the operator must be able to see it (grpc-java
 *   logs it only at FINE).</li>
 * </ul>
 * Uses grpc-java's {@code Internal*} negotiator API (stable in practice, used by grpc-java's xDS and ALTS).
 */
final class SecureServerNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {

    /** Enough bytes to tell a TLS record header from the HTTP/2 preface. */
    private static final int SNIFF_BYTES = 5;
    private static final System.Logger LOG = System.getLogger(SecureServerNegotiator.class.getName());
    // per server, not per JVM: two servers in one process each report their own failures
    private final RateLimitedLog perPeer = RateLimitedLog.of(LOG, 1, Duration.ofMinutes(10));
    private static final String SCOPE = "vendor";
    private static final String PKIX_NO_PATH = "PKIX: no certification path to a trust anchor";

    private final InternalProtocolNegotiator.ProtocolNegotiator tls;
    private final InternalProtocolNegotiator.ProtocolNegotiator plaintext;
    private final boolean permissive;
    private final Counter handshakeFailures = Metrics.getOrCreate(Counter.builder("grpc.server.tls.handshake.failed")
            .scope(SCOPE).description("TLS handshakes the gRPC server refused or that failed").tags(List.of()));

    SecureServerNegotiator(SslContext sslContext, boolean permissive) {
        this.tls = InternalProtocolNegotiators.serverTls(sslContext);
        this.plaintext = InternalProtocolNegotiators.serverPlaintext();
        this.permissive = permissive;
    }

    @Override
    public AsciiString scheme() {
        return tls.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new Negotiation(grpcHandler);
    }

    @Override
    public void close() {
        tls.close();
        plaintext.close();
    }

    /** Installs the negotiation before itself and stays behind it to see a handshake fail. */
    private final class Negotiation extends ChannelInboundHandlerAdapter {
        private final GrpcHttp2ConnectionHandler grpcHandler;

        Negotiation(GrpcHttp2ConnectionHandler grpcHandler) {
            this.grpcHandler = grpcHandler;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ChannelHandler first = permissive ? new Sniffer(grpcHandler) : tls.newHandler(grpcHandler);
            ctx.pipeline().addBefore(ctx.name(), null, first);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String why = handshakeFailure(cause);
            if (why != null) {
                handshakeFailures.increment();
                String peer = host(ctx.channel().remoteAddress());
                perPeer.log(Level.WARNING, "tls.handshake." + peer, () -> "TLS handshake with " + peer + " failed: " + why
                        + " (logged once per peer address per 10 minutes; counted in grpc.server.tls.handshake.failed)");
            }
            ctx.fireExceptionCaught(cause);
        }
    }

    /** Hands the connection to the TLS or the plaintext negotiation, whichever its first bytes ask for. */
    private final class Sniffer extends ByteToMessageDecoder {
        private final GrpcHttp2ConnectionHandler grpcHandler;
        private Object negotiationEvent;

        Sniffer(GrpcHttp2ConnectionHandler grpcHandler) {
            this.grpcHandler = grpcHandler;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof ProtocolNegotiationEvent && negotiationEvent == null) {
                negotiationEvent = evt; // handed to the chosen negotiation once it is known
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (in.readableBytes() < SNIFF_BYTES) {
                return;
            }
            boolean encrypted = SslHandler.isEncrypted(in);
            ChannelHandler next = encrypted ? tls.newHandler(grpcHandler) : plaintext.newHandler(grpcHandler);
            ctx.pipeline().addAfter(ctx.name(), null, next);
            if (negotiationEvent != null) {
                ctx.fireUserEventTriggered(negotiationEvent);
            }
            // removing a decoder hands what it buffered to the handler after it: the bytes just looked at
            ctx.pipeline().remove(this);
        }
    }

    /** Why a handshake failed, if that is what {@code cause} is, in words an operator can act on; null for anything else. */
    static String handshakeFailure(Throwable cause) {
        SSLException ssl = null;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return "the client did not speak TLS (a plaintext client on a TLS-only port?)";
            }
            if (t instanceof java.security.cert.CertificateException) {
                // the trust manager's own words (OpenSSL wraps them in "General OpenSslEngine problem")
                String why = String.valueOf(t.getMessage());
                return why.contains("unable to find valid certification path")
                        ? "the client's certificate is not signed by a CA this server trusts (" + PKIX_NO_PATH + ")"
                        : "the client's certificate was refused: " + why;
            }
            if (ssl == null && t instanceof SSLException e) {
                ssl = e;
            }
        }
        if (ssl == null) {
            return null;
        }
        String message = String.valueOf(ssl.getMessage());
        if (message.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE")) {
            return "the client presented no certificate, and this server requires one";
        }
        if (message.contains("ALERT")) {
            return "the client ended the handshake (" + message + "); does it trust this server's certificate?";
        }
        return message;
    }

    static String host(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }
}
