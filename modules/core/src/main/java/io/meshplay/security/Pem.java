package io.meshplay.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM certificates and private keys as operators and Consul write them: {@code CERTIFICATE} blocks, and
 * keys as PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}, Consul's leaf keys) or PKCS#1
 * ({@code RSA PRIVATE KEY}, openssl's traditional form). The JDK reads only PKCS#8, so SEC1 and PKCS#1
 * are wrapped into PKCS#8 here. Failures are {@link PemException}s whose messages never quote key bytes.
 */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM = der(0x30, concat(der(0x06, hex("2a864886f70d010101")), new byte[] {0x05, 0x00}));
    private static final byte[] EC_PUBLIC_KEY_OID = der(0x06, hex("2a8648ce3d0201"));
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    /** What is wrong with a PEM text, in words that hold none of its bytes. */
    public static final class PemException extends Exception {
        PemException(String message) {
            super(message);
        }
    }

    private Pem() {
    }

    /** Every {@code CERTIFICATE} block, in order (leaf first for a chain). */
    public static List<X509Certificate> certificates(String pem) throws PemException {
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                if (m.group(1).equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new PemException("holds a CERTIFICATE block that is not a valid X.509 certificate");
        }
        if (certificates.isEmpty()) {
            throw new PemException("holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /** The first private key block. */
    public static PrivateKey privateKey(String pem) throws PemException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new PemException("holds a " + type + " block that is not valid base64");
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der, type);
                case "RSA PRIVATE KEY":
                    return pkcs8(der(0x30, concat(VERSION_0, RSA_ALGORITHM, der(0x04, der))), type);
                case "EC PRIVATE KEY":
                    return pkcs8(der(0x30, concat(VERSION_0, der(0x30, concat(EC_PUBLIC_KEY_OID, curveOf(der))), der(0x04, der))), type);
                case "ENCRYPTED PRIVATE KEY":
                    throw new PemException("holds an encrypted key (ENCRYPTED PRIVATE KEY); expected an unencrypted PEM key");
                default:
                    // e.g. an EC PARAMETERS block before the key, as openssl ecparam -genkey writes it
            }
        }
        throw new PemException("holds no PEM private key (expected -----BEGIN PRIVATE KEY-----, EC PRIVATE KEY or RSA PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(byte[] der, String type) throws PemException {
        for (String algorithm : List.of("EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new PemException("holds a " + type + " block that is not a private key this JVM reads (EC, RSA, Ed25519)");
    }

    /** The named curve of a SEC1 ECPrivateKey: its optional {@code [0]} parameters, which Consul and openssl always write. */
    private static byte[] curveOf(byte[] sec1) throws PemException {
        try {
            int[] outer = header(sec1, 0);
            int i = outer[0];
            int end = i + outer[1];
            while (i < end) {
                int tag = sec1[i] & 0xff;
                int[] h = header(sec1, i);
                if (tag == 0xa0) {
                    int[] oid = header(sec1, h[0]);
                    byte[] out = new byte[oid[0] + oid[1] - h[0]];
                    System.arraycopy(sec1, h[0], out, 0, out.length);
                    return out;
                }
                i = h[0] + h[1];
            }
        } catch (RuntimeException e) {
            throw new PemException("holds an EC PRIVATE KEY block that is not a valid SEC1 key");
        }
        throw new PemException("holds an EC PRIVATE KEY without its curve; expected a named-curve key (or PKCS#8)");
    }

    /** {content offset, content length} of the DER element at {@code at}. */
    private static int[] header(byte[] der, int at) {
        int lengthByte = der[at + 1] & 0xff;
        if (lengthByte < 0x80) {
            return new int[] {at + 2, lengthByte};
        }
        int n = lengthByte & 0x7f;
        int length = 0;
        for (int k = 0; k < n; k++) {
            length = (length << 8) | (der[at + 2 + k] & 0xff);
        }
        return new int[] {at + 2 + n, length};
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int k = bytes - 1; k >= 0; k--) {
                out.write(length >> (8 * k));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII));
    }
}
