package io.meshplay.security;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;

/**
 * {@code tls.mode: files}. The key and trust managers are grpc-java's reloadable ones; this class reads
 * the files itself (so every error names the config key and the file) and swaps them in only as a whole
 * that passed every check. A half-written pair, an expired certificate or a key that does not match
 * keeps the last good material and is logged once; connections open meanwhile are not touched, and new
 * ones get the new certificate as soon as it is good.
 *
 * <p>Host names are not verified by default: instances register IP addresses, which certificates rarely
 * carry as SANs. The chain must lead to {@code tls.files.ca}; {@code tls.files.server-name}, when set,
 * names a SAN the server must also carry (Consul's {@code verify_outgoing} without and with
 * {@code verify_server_hostname}).
 */
final class FilesTransportSecurity implements TransportSecurity {

    private static final System.Logger LOG = System.getLogger(FilesTransportSecurity.class.getName());

    private final Side side;
    private final Optional<FilesMaterial.Source> cert;
    private final Optional<FilesMaterial.Source> key;
    private final Optional<FilesMaterial.Source> ca;
    private final FilesTransportSecurityProvider.ClientAuth clientAuth;
    private final Optional<String> serverName;
    private final boolean permissive;
    private final X509ExtendedKeyManager keyManager;
    private final AdvancedTlsX509KeyManager reloadableKeys;
    private final AdvancedTlsX509TrustManager trustManager;
    private final ScheduledExecutorService refresher;
    private volatile FilesMaterial.Stamp loaded;
    private volatile String lastFailure;

    FilesTransportSecurity(Side side, Optional<FilesMaterial.Source> cert, Optional<FilesMaterial.Source> key,
                           Optional<FilesMaterial.Source> ca, FilesTransportSecurityProvider.ClientAuth clientAuth,
                           Duration refresh, Optional<String> serverName, boolean permissive) {
        this.side = side;
        this.cert = cert;
        this.key = key;
        this.ca = ca;
        this.clientAuth = clientAuth;
        this.serverName = serverName;
        this.permissive = permissive;
        this.trustManager = chainOnlyTrustManager();
        FilesMaterial.Stamp stamp = FilesMaterial.Stamp.of(sources());
        FilesMaterial material = FilesMaterial.load(cert, key, ca, Instant.now()); // fails at start, naming key and file
        this.reloadableKeys = cert.isPresent() ? new AdvancedTlsX509KeyManager() : null;
        this.keyManager = reloadableKeys != null ? reloadableKeys : noKeys();
        apply(material);
        if (ca.isEmpty()) {
            try {
                trustManager.useSystemDefaultTrustCerts();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM's trusted CA certificates cannot be read: " + e.getMessage(), e);
            }
        }
        this.loaded = stamp;
        LOG.log(side == Side.SERVER ? Level.INFO : Level.DEBUG, () -> "tls.mode=files: " + describe(material)
                + "; checking the files for a change every " + io.meshplay.config.Durations.format(refresh));
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshplay-tls-files");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<FilesMaterial.Source> sources() {
        return Stream.of(cert, key, ca).flatMap(Optional::stream).toList();
    }

    /** Reads the files again if any changed; applies them only if all of them are good. */
    void refresh() {
        FilesMaterial.Stamp now = FilesMaterial.Stamp.of(sources());
        if (now.equals(loaded)) {
            return;
        }
        try {
            FilesMaterial material = FilesMaterial.load(cert, key, ca, Instant.now());
            apply(material);
            loaded = now;
            lastFailure = null;
            LOG.log(Level.INFO, () -> "tls.mode=files: reloaded; " + describe(material));
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.equals(lastFailure)) {
                lastFailure = message;
                LOG.log(Level.WARNING, "tls.mode=files: kept the certificates in use, the changed files are not usable: " + message);
            }
        }
    }

    private void apply(FilesMaterial material) {
        if (reloadableKeys != null) {
            reloadableKeys.updateIdentityCredentials(material.chain().orElseThrow(), material.key().orElseThrow());
        }
        if (material.ca().isPresent()) {
            try {
                trustManager.updateTrustCredentials(material.ca().get());
            } catch (java.io.IOException | GeneralSecurityException e) {
                throw FilesMaterial.error(ca.orElseThrow(), "whose certificates cannot be used as trust anchors: " + e.getMessage());
            }
        }
    }

    private String describe(FilesMaterial material) {
        List<String> parts = new ArrayList<>();
        material.chain().ifPresent(chain -> parts.add("presenting " + chain[0].getSubjectX500Principal().getName()
                + " (valid until " + chain[0].getNotAfter().toInstant() + ")"));
        parts.add(material.ca().map(c -> "trusting " + c.length + " CA certificate(s) from " + ca.orElseThrow().file())
                .orElse("trusting the JVM's CA certificates"));
        if (side == Side.SERVER) {
            parts.add("client certificates " + clientAuth.name().toLowerCase(Locale.ROOT) + (permissive ? ", plaintext callers allowed (permissive)" : ""));
        }
        return String.join(", ", parts);
    }

    private static AdvancedTlsX509TrustManager chainOnlyTrustManager() {
        try {
            return AdvancedTlsX509TrustManager.newBuilder()
                    .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                    .build();
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot create a trust manager: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedKeyManager noKeys() {
        try {
            KeyStore empty = KeyStore.getInstance(KeyStore.getDefaultType());
            empty.load(null, null);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(empty, new char[0]);
            return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot create an empty key manager", e);
        }
    }

    @Override
    public String mode() {
        return FilesTransportSecurityProvider.MODE;
    }

    @Override
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    @Override
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    @Override
    public boolean requireClientCertificate() {
        return clientAuth == FilesTransportSecurityProvider.ClientAuth.REQUIRE;
    }

    @Override
    public boolean requestClientCertificate() {
        return clientAuth != FilesTransportSecurityProvider.ClientAuth.NONE;
    }

    @Override
    public boolean permissive() {
        return permissive;
    }

    @Override
    public void verifyServer(String service, X509Certificate[] chain) throws CertificateException {
        if (serverName.isEmpty()) {
            return;
        }
        String expected = serverName.get().replace("{service}", service);
        List<String> names = subjectAltNames(chain[0]);
        for (String name : names) {
            if (matches(name, expected)) {
                return;
            }
        }
        throw new CertificateException("the server's certificate " + chain[0].getSubjectX500Principal().getName()
                + " does not name " + expected + " (tls.files.server-name); its names are " + names);
    }

    private static List<String> subjectAltNames(X509Certificate leaf) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                if (type == 2 || type == 7) { // dNSName, iPAddress
                    names.add(String.valueOf(san.get(1)));
                }
            }
        }
        return names;
    }

    private static boolean matches(String san, String expected) {
        if (looksLikeIp(san) && looksLikeIp(expected)) {
            try {
                return InetAddress.getByName(san).equals(InetAddress.getByName(expected));
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        String name = san.toLowerCase(Locale.ROOT);
        String want = expected.toLowerCase(Locale.ROOT);
        if (name.startsWith("*.")) {
            int dot = want.indexOf('.');
            return dot > 0 && want.substring(dot).equals(name.substring(1));
        }
        return name.equals(want);
    }

    private static boolean looksLikeIp(String s) {
        return s.indexOf(':') >= 0 || s.matches("[0-9.]+");
    }

    @Override
    public PeerIdentity identityOf(X509Certificate leaf) {
        String uri = leaf.getSubjectX500Principal().getName();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if ((Integer) san.get(0) == 6) { // uniformResourceIdentifier
                        uri = String.valueOf(san.get(1));
                        break;
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // the subject names it then
        }
        return new PeerIdentity(uri, Optional.empty(), leaf);
    }

    @Override
    public boolean awaitReady(Duration timeout) {
        return true; // read at open, or open failed
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
