package io.meshplay.server;

import java.lang.System.Logger.Level;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.meshplay.observe.RateLimitedLog;
import io.meshplay.security.Authorization;
import io.meshplay.security.PeerIdentity;
import io.meshplay.security.TransportSecurity;

/**
 * Asks the mode's {@link io.meshplay.security.CallAuthorizer} about every inbound call, with the caller's
 * identity from its verified certificate (none for a plaintext caller under a permissive setting). A
 * denied call is answered {@code PERMISSION_DENIED} naming source and destination (never UNAVAILABLE,
 * which a client would retry elsewhere), counted in {@code grpc.server.denied} and logged once per
 * caller and service per 10 minutes.
 *
 * <p>grpc.health.v1 is not authorized: its answer holds no application data, and a load balancer or the
 * CLI's {@code health} must see an instance's status even when intentions deny it application calls.
 */
final class CallAuthorization implements ServerInterceptor {

    /** The caller's identity, read once per TLS session: parsing the certificate per call cost 17% of CPU in the bench. */
    private static final String PEER_IDENTITY = "meshplay.peer-identity";

    static final String DENIED_METER = "grpc.server.denied";
    static final String UNAUTHENTICATED_METER = "grpc.server.unauthenticated";
    private static final String SCOPE = "vendor";
    private static final String HEALTH = HealthGrpc.SERVICE_NAME;
    private static final System.Logger LOG = System.getLogger(CallAuthorization.class.getName());
    private final RateLimitedLog perPeer = RateLimitedLog.of(LOG, 1, Duration.ofMinutes(10));

    private final TransportSecurity security;
    private final String service;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    CallAuthorization(TransportSecurity security, String service) {
        this.security = security;
        this.service = service;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        if (HEALTH.equals(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        String address = SecureServerNegotiator.host(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        Optional<PeerIdentity> peer = session == null ? Optional.empty() : identity(session);
        if (session == null) {
            count(UNAUTHENTICATED_METER, "plaintext calls admitted by a permissive setting", List.of(Tag.create("destination", service)));
            perPeer.log(Level.WARNING, "tls.plaintext." + address, () -> "plaintext call from " + address + " to " + service
                    + ": unauthenticated, admitted only because the server is permissive (logged once per peer address per 10 minutes;"
                    + " counted in " + UNAUTHENTICATED_METER + ")");
        }
        Authorization decision = security.authorizer().authorize(peer, service);
        if (decision.allowed()) {
            return next.startCall(call, headers);
        }
        String source = peer.map(p -> p.service().orElse(p.uri())).orElse("an unauthenticated caller at " + address);
        count(DENIED_METER, "gRPC calls refused by authorization", List.of(Tag.create("source", peer.map(p -> p.service().orElse(p.uri()))
                .orElse("unauthenticated")), Tag.create("destination", service)));
        String description = source + " may not call " + service + ": " + decision.reason();
        perPeer.log(Level.INFO, "denied." + source + "\n" + service, () -> "denied " + call.getMethodDescriptor().getFullMethodName()
                + ": " + description + " (logged once per caller per 10 minutes; counted in " + DENIED_METER + ")");
        call.close(Status.PERMISSION_DENIED.withDescription(description), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private Optional<PeerIdentity> identity(SSLSession session) {
        if (session.getValue(PEER_IDENTITY) instanceof PeerIdentity known) {
            return Optional.of(known);
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                PeerIdentity id = security.identityOf(leaf);
                session.putValue(PEER_IDENTITY, id);
                return Optional.of(id);
            }
        } catch (SSLPeerUnverifiedException e) {
            // a TLS caller without a certificate (client-auth optional): no identity
        }
        return Optional.empty();
    }

    private void count(String meter, String description, List<Tag> tags) {
        StringBuilder key = new StringBuilder(meter);
        tags.forEach(t -> key.append('\n').append(t.value()));
        counters.computeIfAbsent(key.toString(), k -> Metrics.getOrCreate(Counter.builder(meter).scope(SCOPE)
                .description(description).tags(tags))).increment();
    }
}
