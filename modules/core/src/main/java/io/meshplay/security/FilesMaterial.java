package io.meshplay.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.helidon.config.ConfigException;

/**
 * One consistent read of the {@code tls.files.*} files: this process's chain and key (checked to belong
 * together and to be valid now) and the CA certificates. Built whole or not at all, so a reload that
 * catches a half-written pair keeps the last good one. Errors name the config key and the file, and
 * never hold key material.
 */
record FilesMaterial(Optional<X509Certificate[]> chain, Optional<PrivateKey> key, Optional<X509Certificate[]> ca) {

    /** A config key and the file it names. */
    record Source(String key, Path file) {
        @Override
        public String toString() {
            return "config key '" + key + "' names '" + file + "'";
        }
    }

    /** What the files looked like when read: a change of any of them means read again. */
    record Stamp(List<String> parts) {
        static Stamp of(List<Source> sources) {
            List<String> parts = new ArrayList<>();
            for (Source s : sources) {
                try {
                    BasicFileAttributes a = Files.readAttributes(s.file(), BasicFileAttributes.class);
                    parts.add(s.file() + "@" + a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey());
                } catch (IOException e) {
                    parts.add(s.file() + "@missing");
                }
            }
            return new Stamp(List.copyOf(parts));
        }
    }

    static FilesMaterial load(Optional<Source> cert, Optional<Source> key, Optional<Source> ca, Instant now) {
        Optional<X509Certificate[]> chain = cert.map(s -> certificates(s, now));
        Optional<PrivateKey> privateKey = key.map(FilesMaterial::privateKey);
        if (chain.isPresent() && privateKey.isPresent()) {
            requireMatch(chain.get()[0], privateKey.get(), cert.get(), key.get());
        }
        return new FilesMaterial(chain, privateKey, ca.map(s -> certificates(s, now)));
    }

    private static X509Certificate[] certificates(Source source, Instant now) {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(read(source));
        } catch (Pem.PemException e) {
            throw error(source, "which " + e.getMessage());
        }
        X509Certificate leaf = certificates.get(0);
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw error(source, "whose certificate " + leaf.getSubjectX500Principal().getName() + " expired on "
                    + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw error(source, "whose certificate " + leaf.getSubjectX500Principal().getName() + " is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        return certificates.toArray(X509Certificate[]::new);
    }

    private static PrivateKey privateKey(Source source) {
        try {
            return Pem.privateKey(read(source));
        } catch (Pem.PemException e) {
            throw error(source, "which " + e.getMessage());
        }
    }

    /** Signs a random challenge with the key and verifies it with the certificate: the one test that works for every key type. */
    private static void requireMatch(X509Certificate leaf, PrivateKey key, Source cert, Source keySource) {
        PublicKey publicKey = leaf.getPublicKey();
        boolean matches;
        try {
            String algorithm = switch (key.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                case "RSASSA-PSS" -> "RSASSA-PSS";
                default -> key.getAlgorithm(); // Ed25519, Ed448
            };
            if (!Objects.equals(publicKey.getAlgorithm(), key.getAlgorithm())) {
                matches = false;
            } else {
                byte[] challenge = new byte[32];
                new SecureRandom().nextBytes(challenge);
                Signature signer = Signature.getInstance(algorithm);
                signer.initSign(key);
                signer.update(challenge);
                byte[] signature = signer.sign();
                Signature verifier = Signature.getInstance(algorithm);
                verifier.initVerify(publicKey);
                verifier.update(challenge);
                matches = verifier.verify(signature);
            }
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            matches = false;
        }
        if (!matches) {
            throw error(keySource, "whose key does not match the certificate " + leaf.getSubjectX500Principal().getName()
                    + " in '" + cert.file() + "' (" + cert.key() + ")");
        }
    }

    private static String read(Source source) {
        try {
            return Files.readString(source.file(), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw error(source, "which does not exist");
        } catch (AccessDeniedException e) {
            throw error(source, "which cannot be read (permission denied)");
        } catch (IOException e) {
            throw error(source, "which cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    static ConfigException error(Source source, String what) {
        return new ConfigException(source + ", " + what);
    }
}
