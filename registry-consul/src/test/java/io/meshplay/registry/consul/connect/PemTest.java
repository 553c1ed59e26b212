package io.meshplay.registry.consul.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

import io.meshplay.security.Pem;

import org.junit.jupiter.api.Test;

/** Keys in the forms Consul's CA providers hand out, read with the JDK alone. */
class PemTest {

    @Test
    void aSec1EcKeyWithItsCurveIsRead() throws Exception {
        String pem = ConnectTestSupport.newSec1EcKeyPem();
        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----");
        PrivateKey key = Pem.privateKey(pem);
        assertThat(key).isInstanceOf(ECPrivateKey.class);
        assertThat(((ECPrivateKey) key).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
    }

    @Test
    void aSec1KeyReadHereSignsWhatItsPublicKeyVerifies() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair pair = generator.generateKeyPair();
        PrivateKey read = Pem.privateKey(sec1Pem(pair.getPrivate().getEncoded()));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(read);
        signer.update("meshplay".getBytes());
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pair.getPublic());
        verifier.update("meshplay".getBytes());
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void pkcs1RsaAndPkcs8KeysAreRead() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        // PKCS#1 is the OCTET STRING inside PKCS#8
        byte[] pkcs1 = Der.parse(pkcs8).children().get(2).content();
        assertThat(Pem.privateKey(pem("RSA PRIVATE KEY", pkcs1))).isEqualTo(pair.getPrivate());
        assertThat(Pem.privateKey(pem("PRIVATE KEY", pkcs8))).isEqualTo(pair.getPrivate());
    }

    @Test
    void badKeysFailWithoutQuotingTheMaterial() {
        String secretLooking = "MHcCAQEEIBadBadBadBadBadBadBadBadBadBadBadBadBadBadBadBa";
        assertThatThrownBy(() -> Pem.privateKey("-----BEGIN EC PRIVATE KEY-----\n" + secretLooking + "\n-----END EC PRIVATE KEY-----"))
                .isInstanceOf(Pem.PemException.class)
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(secretLooking));
        assertThatThrownBy(() -> Pem.privateKey("no pem here"))
                .hasMessageStartingWith("holds no PEM private key");
        assertThatThrownBy(() -> Pem.certificates("")).hasMessageStartingWith("holds no PEM certificate");
    }

    @Test
    void spiffeIdsOfConnectServicesAreParsed() {
        SpiffeId id = SpiffeId.parse("spiffe://11111111-2222.consul/ns/default/dc/dc1/svc/example").orElseThrow();
        assertThat(id.trustDomain()).isEqualTo("11111111-2222.consul");
        assertThat(id.datacenter()).isEqualTo("dc1");
        assertThat(id.service()).isEqualTo("example");
        assertThat(id.inTrustDomain("11111111-2222.CONSUL")).isTrue();
        for (String notAService : List.of("spiffe://td.consul", "spiffe://td.consul/agent/client/dc/dc1/id/node",
                "https://td.consul/ns/default/dc/dc1/svc/example", "spiffe://td.consul/ns/default/dc/dc1/svc/", "CN=example")) {
            assertThat(SpiffeId.parse(notAService)).as(notAService).isEmpty();
        }
    }

    private static String sec1Pem(byte[] pkcs8) throws Exception {
        List<Der.Element> outer = Der.parse(pkcs8).children();
        byte[] curve = outer.get(1).children().get(1).encoded();
        List<Der.Element> inner = Der.parse(outer.get(2).content()).children();
        byte[] sec1 = Der.encode(Der.SEQUENCE, inner.get(0).encoded(), inner.get(1).encoded(), Der.encode(Der.CONTEXT_0, curve));
        return pem("EC PRIVATE KEY", sec1);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
