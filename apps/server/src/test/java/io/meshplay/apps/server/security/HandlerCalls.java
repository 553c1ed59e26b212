package io.meshplay.apps.server.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.meshplay.example.service.ExampleService;

/**
 * The example service behind a counter: what reached the handler (past the transport's TLS and
 * authorization), and the client certificate of the latest call that did.
 */
final class HandlerCalls implements ServerInterceptor {

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<X509Certificate> lastClientLeaf = new AtomicReference<>();
    private final Set<X509Certificate> clientLeaves = ConcurrentHashMap.newKeySet();

    /** The real example service, counted. */
    BindableService exampleService() {
        ExampleService service = new ExampleService();
        return () -> ServerInterceptors.intercept(service, this);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        calls.incrementAndGet();
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session != null) {
            try {
                Certificate[] chain = session.getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                    lastClientLeaf.set(leaf);
                    clientLeaves.add(leaf);
                }
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate on this connection: nothing to record
            }
        }
        return next.startCall(call, headers);
    }

    /** Every distinct client certificate seen so far. */
    Set<X509Certificate> clientLeaves() {
        return Set.copyOf(clientLeaves);
    }

    int count() {
        return calls.get();
    }

    /** The client certificate of the latest call that reached the handler over TLS; null before any. */
    X509Certificate lastClientLeaf() {
        return lastClientLeaf.get();
    }
}
