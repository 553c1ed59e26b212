package io.meshplay.security;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS material and rules of one process for one {@link Side}, open until closed. Key and trust
 * managers are live: a mode that reloads files or follows a CA rotation swaps what they hold without the
 * server or channel being rebuilt, so calls keep working across a change.
 */
public interface TransportSecurity extends AutoCloseable {

    /** The {@code tls.mode} that opened it: {@code files}, {@code connect}, or a plug-in's own name. */
    String mode();

    /**
     * Presents this process's own certificate. A client without one (server-only TLS under
     * {@code files}) returns a key manager that offers none.
     */
    X509ExtendedKeyManager keyManager();

    /** Verifies the peer's chain against the current trust anchors (the CA file, Consul's roots). */
    X509ExtendedTrustManager trustManager();

    /** Whether a server demands a client certificate (mutual TLS). */
    boolean requireClientCertificate();

    /**
     * Whether a server asks callers for a certificate even if it does not require one ({@code files}'
     * {@code client-auth: optional}): a caller without one then reaches {@link CallAuthorizer} with no identity.
     */
    default boolean requestClientCertificate() {
        return requireClientCertificate();
    }

    /**
     * Whether a server also accepts plaintext callers on the same port, as meshes allow during a
     * migration. Such callers reach {@link CallAuthorizer} with no identity.
     */
    default boolean permissive() {
        return false;
    }

    /** Server side: who may call. */
    default CallAuthorizer authorizer() {
        return CallAuthorizer.ALLOW_ALL;
    }

    /**
     * Client side, after the chain verified: whether the server's certificate is the one {@code service}
     * should present (connect: its SPIFFE ID names {@code service}; never the host name).
     *
     * @throws CertificateException naming the service asked for and the identity found
     */
    default void verifyServer(String service, X509Certificate[] chain) throws CertificateException {
    }

    /** The identity a peer presented, as this mode reads it. */
    PeerIdentity identityOf(X509Certificate leaf);

    /**
     * Waits until the first certificate and trust anchors are loaded: a server is not ready, and a
     * client does not dial, before.
     *
     * @return false if they were not loaded within {@code timeout}
     */
    boolean awaitReady(Duration timeout) throws InterruptedException;

    /**
     * Why the material is not loaded (or no longer current), in words an operator can act on, e.g.
     * {@code Connect is not enabled on the Consul agent at http://127.0.0.1:8500}: for a start-up error or a
     * readiness check's output when {@link #awaitReady} says no. Holds no secret. Empty when all is well.
     */
    default java.util.Optional<String> problem() {
        return java.util.Optional.empty();
    }

    /** Stops reloading and watching. */
    @Override
    void close();
}
