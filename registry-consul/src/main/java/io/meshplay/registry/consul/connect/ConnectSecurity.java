package io.meshplay.registry.consul.connect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.meshplay.registry.consul.ConsulRegistryOptions;
import io.meshplay.security.CallAuthorizer;
import io.meshplay.security.PeerIdentity;
import io.meshplay.security.Side;
import io.meshplay.security.TransportSecurity;

/**
 * {@code tls.mode: connect}: Consul Connect without a sidecar. The process's leaf certificate and the CA
 * roots come from the local agent through blocking queries; a server demands a client certificate and
 * authorizes every call against intentions; a client accepts a server only if its SPIFFE ID names the
 * service it asked for.
 */
final class ConnectSecurity implements TransportSecurity {

    static final String MODE = "connect";

    private final String name;
    private final Side side;
    private final boolean permissive;
    private final ConnectCredentials credentials;
    private final AgentApi api;
    private final BlockingWatch leafWatch;
    private final BlockingWatch rootsWatch;
    private final Optional<BlockingWatch> intentionsWatch;
    private final CallAuthorizer authorizer;

    ConnectSecurity(ConsulRegistryOptions consul, boolean permissive, Side side, String name) {
        this.name = name;
        this.side = side;
        this.permissive = permissive;
        this.credentials = new ConnectCredentials(name);
        this.api = new AgentApi(consul);
        AgentErrors errors = new AgentErrors(consul.address(), consul.token());
        Duration wait = consul.watchWait();
        Duration backoff = consul.watchMaxBackoff();
        String leafWhat = "the Connect certificate of '" + name + "'";
        this.rootsWatch = new BlockingWatch("the Connect CA roots", "/v1/agent/connect/ca/roots", api, wait, backoff, errors,
                answer -> errors.refused(answer, "the Connect CA roots", "the right to read the Connect CA roots"),
                credentials::acceptRoots);
        this.leafWatch = new BlockingWatch(leafWhat, "/v1/agent/connect/ca/leaf/" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                api, wait, backoff, errors,
                answer -> errors.refused(answer, leafWhat, "service:write on '" + name + "', needed for its Connect certificate"),
                credentials::acceptLeaf);
        if (side == Side.SERVER) {
            IntentionAuthorizer[] holder = new IntentionAuthorizer[1];
            BlockingWatch intentions = new BlockingWatch("the Connect intentions", "/v1/connect/intentions", api, wait, backoff,
                    errors, answer -> errors.refused(answer, "the Connect intentions",
                            "intentions:read (service:read or write on '" + name + "' grants it), needed to follow intention changes"),
                    body -> holder[0].intentionsChanged(body));
            holder[0] = new IntentionAuthorizer(api, errors, permissive, intentions::healthy);
            this.authorizer = holder[0];
            this.intentionsWatch = Optional.of(intentions);
        } else {
            this.authorizer = CallAuthorizer.ALLOW_ALL;
            this.intentionsWatch = Optional.empty();
        }
        rootsWatch.start();
        leafWatch.start();
        intentionsWatch.ifPresent(BlockingWatch::start);
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public X509ExtendedKeyManager keyManager() {
        return credentials.keyManager();
    }

    @Override
    public X509ExtendedTrustManager trustManager() {
        return credentials.trustManager();
    }

    @Override
    public boolean requireClientCertificate() {
        return true;
    }

    @Override
    public boolean permissive() {
        return permissive;
    }

    @Override
    public CallAuthorizer authorizer() {
        return authorizer;
    }

    @Override
    public void verifyServer(String service, X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("expected a certificate for service '" + service + "', got none");
        }
        Optional<String> uri = SpiffeId.uriSan(chain[0]);
        Optional<SpiffeId> id = uri.flatMap(SpiffeId::parse);
        String got = uri.orElse("a certificate without a URI SAN (subject " + chain[0].getSubjectX500Principal().getName() + ")");
        if (id.isEmpty() || !id.get().service().equals(service)) {
            throw new CertificateException("expected a certificate for service '" + service + "', got " + got);
        }
        String domain = credentials.trustDomain().orElse(null);
        if (domain != null && !id.get().inTrustDomain(domain)) {
            throw new CertificateException("expected a certificate for service '" + service + "' of trust domain " + domain
                    + ", got " + got);
        }
    }

    @Override
    public PeerIdentity identityOf(X509Certificate leaf) {
        Optional<String> uri = SpiffeId.uriSan(leaf);
        return new PeerIdentity(uri.orElse(leaf.getSubjectX500Principal().getName()),
                uri.flatMap(SpiffeId::parse).map(SpiffeId::service), leaf);
    }

    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        try {
            credentials.ready().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** Why the certificate or roots are not (or no longer) current: the agent's refusal or absence, in words. */
    @Override
    public Optional<String> problem() {
        return Stream.of(rootsWatch, leafWatch).map(BlockingWatch::problem).flatMap(Optional::stream)
                .map(Throwable::getMessage).findFirst();
    }

    /** Failed queries of the leaf and the roots so far. */
    long failedAttempts() {
        return leafWatch.failedAttempts() + rootsWatch.failedAttempts();
    }

    /** The current leaf certificate, once loaded. */
    Optional<X509Certificate> leaf() {
        return credentials.leaf();
    }

    ConnectCredentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        intentionsWatch.ifPresent(BlockingWatch::close);
        leafWatch.close();
        rootsWatch.close();
        api.close();
    }

    @Override
    public String toString() {
        return "ConnectSecurity[" + side.name().toLowerCase() + " '" + name + "' via " + api.address()
                + (permissive ? ", permissive" : "") + "]";
    }
}
