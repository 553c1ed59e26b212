package io.meshplay.registry.consul.connect;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.meshplay.security.Pem;

/**
 * The live TLS material of one Connect service: its leaf certificate and key (from
 * {@code /v1/agent/connect/ca/leaf/<service>}) in a key manager, and the CA roots (from
 * {@code /v1/agent/connect/ca/roots}) in a trust manager. Each new answer of the agent replaces what the
 * managers hold in place, so servers and channels built on them follow a renewal or a CA rotation
 * without being rebuilt.
 *
 * <p>The trust manager checks the chain only, never the host name: a Connect certificate names a
 * service (its SPIFFE ID), which {@link ConnectSecurity#verifyServer} checks.
 */
final class ConnectCredentials {

    private static final System.Logger LOG = System.getLogger(ConnectCredentials.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
    private final AdvancedTlsX509TrustManager trustManager;
    private final CompletableFuture<Void> leafLoaded = new CompletableFuture<>();
    private final CompletableFuture<Void> rootsLoaded = new CompletableFuture<>();
    private volatile X509Certificate leaf;
    private volatile String trustDomain;
    private volatile List<X509Certificate> roots = List.of();

    ConnectCredentials(String service) {
        this.service = service;
        try {
            this.trustManager = AdvancedTlsX509TrustManager.newBuilder()
                    .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                    .build();
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot set up a trust manager: " + e.getMessage(), e);
        }
    }

    AdvancedTlsX509KeyManager keyManager() {
        return keyManager;
    }

    AdvancedTlsX509TrustManager trustManager() {
        return trustManager;
    }

    CompletableFuture<Void> ready() {
        return CompletableFuture.allOf(leafLoaded, rootsLoaded);
    }

    Optional<X509Certificate> leaf() {
        return Optional.ofNullable(leaf);
    }

    /** The roots' trust domain ({@code <uuid>.consul}), once loaded. */
    Optional<String> trustDomain() {
        return Optional.ofNullable(trustDomain);
    }

    List<X509Certificate> roots() {
        return roots;
    }

    /** A body of {@code /v1/agent/connect/ca/leaf/<service>}: {@code CertPEM} (leaf + intermediates), {@code PrivateKeyPEM}. */
    void acceptLeaf(String body) throws Exception {
        JsonNode json = JSON.readTree(body);
        List<X509Certificate> chain = Pem.certificates(json.path("CertPEM").asText(""));
        PrivateKey key = Pem.privateKey(json.path("PrivateKeyPEM").asText(""));
        X509Certificate first = chain.get(0);
        Optional<SpiffeId> id = SpiffeId.of(first);
        if (id.isEmpty() || !id.get().service().equals(service)) {
            throw new GeneralSecurityException("the leaf certificate for '" + service + "' names "
                    + SpiffeId.uriSan(first).orElse("no URI SAN"));
        }
        if (!first.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new GeneralSecurityException("the leaf's private key does not match its certificate");
        }
        keyManager.updateIdentityCredentials(key, chain.toArray(X509Certificate[]::new));
        leaf = first;
        leafLoaded.complete(null);
        LOG.log(System.Logger.Level.INFO, "connect: loaded the certificate of '" + service + "' (" + id.get() + ", serial "
                + serialHex(first) + ", valid until " + first.getNotAfter().toInstant() + ")");
    }

    /** A body of {@code /v1/agent/connect/ca/roots}: {@code TrustDomain}, {@code Roots[].RootCert}. */
    void acceptRoots(String body) throws Exception {
        JsonNode json = JSON.readTree(body);
        String domain = json.path("TrustDomain").asText("");
        List<X509Certificate> anchors = new ArrayList<>();
        for (JsonNode root : json.path("Roots")) {
            anchors.addAll(Pem.certificates(root.path("RootCert").asText("")));
        }
        if (anchors.isEmpty() || domain.isBlank()) {
            throw new GeneralSecurityException("no CA root or no trust domain in the agent's answer");
        }
        trustManager.updateTrustCredentials(anchors.toArray(X509Certificate[]::new));
        trustDomain = domain;
        roots = List.copyOf(anchors);
        rootsLoaded.complete(null);
        LOG.log(System.Logger.Level.INFO, "connect: trusting " + anchors.size() + " CA root(s) of trust domain " + domain);
    }

    /** Consul's way of writing serials: lower-case hex bytes separated by colons, e.g. {@code 0a:3f}. */
    static String serialHex(X509Certificate certificate) {
        byte[] bytes = certificate.getSerialNumber().toByteArray();
        StringBuilder out = new StringBuilder();
        for (int i = bytes.length > 1 && bytes[0] == 0 ? 1 : 0; i < bytes.length; i++) {
            if (!out.isEmpty()) {
                out.append(':');
            }
            out.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return out.toString();
    }
}
