package io.meshplay.registry.consul.connect;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER to rewrap a private key: Consul hands out SEC1 ({@code EC PRIVATE KEY}) or PKCS#1
 * ({@code RSA PRIVATE KEY}) keys, and the JDK reads only PKCS#8. Reads and writes definite-length TLVs.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** SEC1's {@code parameters [0]}: the named curve. */
    static final int CONTEXT_0 = 0xA0;

    /** One element: its tag and whole encoding (tag, length and contents). */
    record Element(int tag, byte[] encoded, int contentOffset) {

        byte[] content() {
            return Arrays.copyOfRange(encoded, contentOffset, encoded.length);
        }

        /** The elements inside a constructed one (a SEQUENCE, a [0]). */
        List<Element> children() throws GeneralSecurityException {
            return Der.parseAll(content());
        }
    }

    private Der() {
    }

    static List<Element> parseAll(byte[] der) throws GeneralSecurityException {
        List<Element> out = new ArrayList<>();
        int at = 0;
        while (at < der.length) {
            Element e = parseAt(der, at);
            out.add(e);
            at += e.encoded().length;
        }
        return out;
    }

    static Element parse(byte[] der) throws GeneralSecurityException {
        Element e = parseAt(der, 0);
        if (e.encoded().length != der.length) {
            throw new GeneralSecurityException("trailing bytes after the DER structure");
        }
        return e;
    }

    private static Element parseAt(byte[] der, int start) throws GeneralSecurityException {
        if (start + 2 > der.length) {
            throw new GeneralSecurityException("truncated DER");
        }
        int tag = der[start] & 0xFF;
        int first = der[start + 1] & 0xFF;
        int header = 2;
        long length = first;
        if (first > 0x80) {
            int count = first & 0x7F;
            if (count > 4 || start + 2 + count > der.length) {
                throw new GeneralSecurityException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[start + 2 + i] & 0xFF);
            }
            header += count;
        } else if (first == 0x80) {
            throw new GeneralSecurityException("indefinite DER length");
        }
        long end = start + header + length;
        if (end > der.length) {
            throw new GeneralSecurityException("truncated DER");
        }
        return new Element(tag, Arrays.copyOfRange(der, start, (int) end), header);
    }

    /** Encodes one element from its tag and contents. */
    static byte[] encode(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            byte[] len = java.math.BigInteger.valueOf(n).toByteArray();
            int skip = len[0] == 0 ? 1 : 0;
            out.write(0x80 | (len.length - skip));
            out.write(len, skip, len.length - skip);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** An OBJECT IDENTIFIER from its dotted form, e.g. {@code 1.2.840.10045.2.1}. */
    static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
            for (int g = groups - 1; g >= 0; g--) {
                int b = (int) ((v >>> (7 * g)) & 0x7F);
                body.write(g == 0 ? b : b | 0x80);
            }
        }
        return encode(OID, body.toByteArray());
    }
}
