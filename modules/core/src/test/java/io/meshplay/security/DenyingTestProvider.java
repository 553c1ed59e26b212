package io.meshplay.security;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.helidon.config.Config;
import io.meshplay.config.Options;

/**
 * {@code tls.mode: test-deny}, for tests only: the files mode's certificates ({@code tls.files.*}) with an authorizer that
 * denies every caller whose URI names {@code svc/denied} (and plaintext callers), as intentions would.
 */
public final class DenyingTestProvider implements TransportSecurityProvider {

    @Override
    public String mode() {
        return "test-deny";
    }

    @Override
    public Options options() {
        return Options.none();
    }

    @Override
    public TransportSecurity open(Config root, Side side, String name) {
        TransportSecurity inner = new FilesTransportSecurityProvider().open(root, side, name); // reads tls.files.*
        return new TransportSecurity() {
            @Override
            public String mode() {
                return "test-deny";
            }

            @Override
            public X509ExtendedKeyManager keyManager() {
                return inner.keyManager();
            }

            @Override
            public X509ExtendedTrustManager trustManager() {
                return inner.trustManager();
            }

            @Override
            public boolean requireClientCertificate() {
                return inner.requireClientCertificate();
            }

            @Override
            public boolean permissive() {
                return inner.permissive();
            }

            @Override
            public CallAuthorizer authorizer() {
                return (peer, service) -> peer.isPresent() && !peer.get().uri().endsWith("svc/denied")
                        ? Authorization.allow("test policy allows it")
                        : Authorization.deny("test policy denies it");
            }

            @Override
            public PeerIdentity identityOf(X509Certificate leaf) {
                PeerIdentity files = inner.identityOf(leaf);
                return new PeerIdentity(files.uri(), Optional.of(files.uri().substring(files.uri().lastIndexOf('/') + 1)), leaf);
            }

            @Override
            public boolean awaitReady(Duration timeout) throws InterruptedException {
                return inner.awaitReady(timeout);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }
}
