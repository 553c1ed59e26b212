package io.meshplay.registry.consul.connect;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM as Consul's agent answers it: certificates (a leaf with its intermediates, roots) and the leaf's
 * private key, which is SEC1 {@code EC PRIVATE KEY} by default, PKCS#1 {@code RSA PRIVATE KEY} under an
 * RSA CA, and PKCS#8 {@code PRIVATE KEY} from other providers. The JDK reads PKCS#8 only, so the first two
 * are wrapped in a PKCS#8 structure here (no BouncyCastle needed).
 *
 * <p>Errors never quote the key material.
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";

    private Pem() {
    }

    /** Every {@code CERTIFICATE} block, in order. */
    static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem == null ? "" : pem);
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE block in the PEM text");
        }
        return out;
    }

    /** The first private key block: SEC1 EC, PKCS#1 RSA or PKCS#8 (unencrypted). */
    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(pem == null ? "" : pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = decode(m.group(2));
            switch (type) {
                case "EC PRIVATE KEY":
                    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(sec1ToPkcs8(der)));
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1ToPkcs8(der)));
                case "PRIVATE KEY":
                    return pkcs8(der);
                default:
                    // another block (EC PARAMETERS before the key, as openssl writes): skip it
            }
        }
        throw new GeneralSecurityException("no EC PRIVATE KEY, RSA PRIVATE KEY or PRIVATE KEY block in the PEM text");
    }

    /**
     * SEC1 {@code ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] curve OID, [1] publicKey }}
     * to PKCS#8 {@code SEQUENCE { 0, SEQUENCE { ecPublicKey, curve OID }, OCTET STRING (the SEC1 key) }}.
     */
    static byte[] sec1ToPkcs8(byte[] sec1) throws GeneralSecurityException {
        Der.Element key = Der.parse(sec1);
        if (key.tag() != Der.SEQUENCE) {
            throw new GeneralSecurityException("an EC PRIVATE KEY block that is not a SEC1 SEQUENCE");
        }
        byte[] curve = null;
        for (Der.Element child : key.children()) {
            if (child.tag() == Der.CONTEXT_0) {
                Der.Element oid = Der.parse(child.content());
                if (oid.tag() == Der.OID) {
                    curve = oid.encoded();
                }
            }
        }
        if (curve == null) {
            throw new GeneralSecurityException("an EC PRIVATE KEY without its named curve (SEC1 parameters [0])");
        }
        byte[] algorithm = Der.encode(Der.SEQUENCE, Der.oid(EC_PUBLIC_KEY), curve);
        return Der.encode(Der.SEQUENCE, Der.encode(Der.INTEGER, new byte[] {0}), algorithm,
                Der.encode(Der.OCTET_STRING, sec1));
    }

    /** PKCS#1 {@code RSAPrivateKey} to PKCS#8 with the rsaEncryption algorithm. */
    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = Der.encode(Der.SEQUENCE, Der.oid(RSA_ENCRYPTION), Der.encode(Der.NULL));
        return Der.encode(Der.SEQUENCE, Der.encode(Der.INTEGER, new byte[] {0}), algorithm,
                Der.encode(Der.OCTET_STRING, pkcs1));
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("a PRIVATE KEY block of no supported algorithm (EC, RSA, Ed25519)", last);
    }

    private static byte[] decode(String base64) throws GeneralSecurityException {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("bad base64 in a PEM block");
        }
    }
}
