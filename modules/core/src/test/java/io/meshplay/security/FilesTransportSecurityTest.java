package io.meshplay.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.meshplay.testing.TestCertificates;
import io.helidon.config.ConfigException;
import io.meshplay.config.MeshplayConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code tls.mode: files} on real certificates: what it loads, reloads, and the one-line errors for bad files. */
class FilesTransportSecurityTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCertificates.Pair ca;
    static TestCertificates.Pair server;
    static TestCertificates.Pair other;

    @BeforeAll
    static void certificates() {
        certs = new TestCertificates(dir);
        ca = certs.ca("files-ca");
        server = certs.leaf(ca, "example");
        other = certs.leaf(ca, "other");
    }

    private static Config config(String... pairs) {
        Map<String, String> map = new HashMap<>(Map.of("tls.mode", "files"));
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return MeshplayConfig.of(map);
    }

    private static TransportSecurity open(Side side, String... pairs) {
        return TransportSecurities.open(config(pairs), side, "example").orElseThrow();
    }

    @Test
    void serverPresentsItsCertificateAndRequiresClientsSignedByTheCa() {
        try (TransportSecurity security = open(Side.SERVER, "tls.files.cert", server.cert().toString(),
                "tls.files.key", server.key().toString(), "tls.files.ca", ca.cert().toString())) {
            assertThat(security.mode()).isEqualTo("files");
            String alias = security.keyManager().chooseEngineServerAlias("EC", null, null);
            assertThat(security.keyManager().getCertificateChain(alias)[0].getSubjectX500Principal().getName()).isEqualTo("CN=example");
            assertThat(security.requireClientCertificate()).isTrue();
            assertThat(security.trustManager().getAcceptedIssuers()).extracting(c -> c.getSubjectX500Principal().getName())
                    .containsExactly("CN=files-ca");
            X509Certificate leaf = security.keyManager().getCertificateChain(alias)[0];
            assertThat(security.identityOf(leaf).uri()).isEqualTo("spiffe://test.example/svc/example");
        }
    }

    @Test
    void offIsTheDefaultAndOpensNothing() {
        assertThat(TransportSecurities.open(MeshplayConfig.of(Map.of()), Side.SERVER, "x")).isEmpty();
        assertThat(TransportSecurities.options().help()).containsKeys("tls.mode", "tls.identity", "tls.files.cert",
                "tls.files.key", "tls.files.ca", "tls.files.client-auth", "tls.files.refresh", "tls.files.server-name",
                "tls.files.permissive");
    }

    @Test
    void aSec1KeyAsConsulWritesItIsRead() {
        Path sec1 = certs.sec1Key(server);
        try (TransportSecurity security = open(Side.SERVER, "tls.files.cert", server.cert().toString(),
                "tls.files.key", sec1.toString())) {
            assertThat(security.requireClientCertificate()).as("no ca: no client certificates").isFalse();
        }
    }

    @Test
    void serverNameIsCheckedOnlyWhenSet() throws Exception {
        X509Certificate[] chain = {(X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(server.cert()))};
        try (TransportSecurity chainOnly = open(Side.CLIENT, "tls.files.ca", ca.cert().toString())) {
            chainOnly.verifyServer("anything", chain);
        }
        try (TransportSecurity named = open(Side.CLIENT, "tls.files.ca", ca.cert().toString(), "tls.files.server-name", "{service}")) {
            named.verifyServer("example", chain);
            assertThatThrownBy(() -> named.verifyServer("billing", chain)).isInstanceOf(CertificateException.class)
                    .hasMessageContaining("does not name billing (tls.files.server-name)");
        }
        try (TransportSecurity ip = open(Side.CLIENT, "tls.files.ca", ca.cert().toString(), "tls.files.server-name", "127.0.0.1")) {
            ip.verifyServer("example", chain);
        }
    }

    @Test
    void aMissingFileIsOneLineNamingTheKeyAndTheFile() {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> open(Side.SERVER, "tls.files.cert", missing.toString(), "tls.files.key", server.key().toString()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'tls.files.cert' names '" + missing + "', which does not exist");
    }

    @Test
    void aFileThatIsNotPemSaysWhatWasExpected() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        assertThatThrownBy(() -> open(Side.SERVER, "tls.files.cert", text.toString(), "tls.files.key", server.key().toString()))
                .hasMessage("config key 'tls.files.cert' names '" + text + "', which holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
        assertThatThrownBy(() -> open(Side.SERVER, "tls.files.cert", server.cert().toString(), "tls.files.key", server.cert().toString()))
                .hasMessageStartingWith("config key 'tls.files.key' names '" + server.cert() + "', which holds no PEM private key");
    }

    @Test
    void aKeyOfAnotherCertificateIsNamedWithoutItsBytes() throws Exception {
        String keyText = Files.readString(other.key());
        assertThatThrownBy(() -> open(Side.SERVER, "tls.files.cert", server.cert().toString(), "tls.files.key", other.key().toString()))
                .hasMessage("config key 'tls.files.key' names '" + other.key() + "', whose key does not match the certificate CN=example in '"
                        + server.cert() + "' (tls.files.cert)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(keyText.lines().skip(1).findFirst().orElseThrow()));
    }

    @Test
    void anExpiredCertificateSaysWhen() {
        TestCertificates.Pair expired = certs.expired("expired");
        assertThatThrownBy(() -> open(Side.SERVER, "tls.files.cert", expired.cert().toString(), "tls.files.key", expired.key().toString()))
                .hasMessageStartingWith("config key 'tls.files.cert' names '" + expired.cert() + "', whose certificate CN=expired expired on 2020-01-0");
    }

    @Test
    void aServerNeedsACertificateAndClientAuthNeedsACa() {
        assertThatThrownBy(() -> open(Side.SERVER)).hasMessageStartingWith("config key 'tls.files.cert' is required");
        assertThatThrownBy(() -> open(Side.SERVER, "tls.files.cert", server.cert().toString()))
                .hasMessageStartingWith("config key 'tls.files.key' is required");
        assertThatThrownBy(() -> open(Side.SERVER, "tls.files.cert", server.cert().toString(), "tls.files.key", server.key().toString(),
                "tls.files.client-auth", "require"))
                .hasMessage("config key 'tls.files.client-auth' is 'require'; expected none without tls.files.ca (the CA that signs client certificates)");
    }

    @Test
    void changedFilesAreReloadedAndABadChangeKeepsTheLastGoodOnes() throws Exception {
        TestCertificates.Pair live = new TestCertificates.Pair(dir.resolve("live.pem"), dir.resolve("live.key"));
        TestCertificates.replace(live, server);
        try (TransportSecurity security = open(Side.SERVER, "tls.files.cert", live.cert().toString(), "tls.files.key",
                live.key().toString(), "tls.files.refresh", "100ms")) {
            // a key that does not match: kept as it was
            Files.copy(other.key(), live.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ((FilesTransportSecurity) security).refresh();
            assertThat(presented(security)).isEqualTo("CN=example");
            TestCertificates.replace(live, other);
            await().atMost(Duration.ofSeconds(10)).until(() -> presented(security).equals("CN=other"));
        }
    }

    private static String presented(TransportSecurity security) {
        String alias = security.keyManager().chooseEngineServerAlias("EC", null, null);
        return security.keyManager().getCertificateChain(alias)[0].getSubjectX500Principal().getName();
    }
}
