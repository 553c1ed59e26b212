package io.meshplay.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real certificates for tests, made with the machine's {@code openssl} (and {@code keytool} for an expired
 * one, since openssl 3.0 cannot back-date): a CA, leaves it signs, self-signed impostors.
 */
public final class TestCertificates {

    /** A certificate file and its key file. */
    public record Pair(Path cert, Path key) {
    }

    private final Path dir;

    public TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A self-signed CA named {@code name}: {@code <name>.pem}, {@code <name>.key}. */
    public Pair ca(String name) {
        Pair pair = pair(name);
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", pair.key().toString(), "-out", pair.cert().toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return pair;
    }

    /** A leaf for {@code name} signed by {@code ca}, with SANs DNS:name, DNS:localhost, IP:127.0.0.1 and a SPIFFE-like URI. */
    public Pair leaf(Pair ca, String name) {
        Pair pair = pair(name);
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        write(ext, "subjectAltName=DNS:" + name + ",DNS:localhost,IP:127.0.0.1,URI:spiffe://test.example/svc/" + name + "\n"
                + "extendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", pair.key().toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
                "-CAcreateserial", "-out", pair.cert().toString(), "-days", "2", "-extfile", ext.toString());
        return pair;
    }

    /** A self-signed leaf: what an impostor presents. */
    public Pair selfSigned(String name) {
        Pair pair = pair(name);
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", pair.key().toString(), "-out", pair.cert().toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=DNS:" + name + ",IP:127.0.0.1", "-addext", "extendedKeyUsage=serverAuth,clientAuth");
        return pair;
    }

    /** A self-signed certificate valid for one day in 2020. */
    public Pair expired(String name) {
        Pair pair = pair(name);
        Path store = dir.resolve(name + ".p12");
        run(List.of("keytool", "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "x", "-startdate", "2020/01/01",
                "-validity", "1", "-dname", "CN=" + name, "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit"));
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                keys.load(in, "changeit".toCharArray());
            }
            write(pair.cert(), pem("CERTIFICATE", keys.getCertificate("x").getEncoded()));
            write(pair.key(), pem("PRIVATE KEY", ((PrivateKey) keys.getKey("x", "changeit".toCharArray())).getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return pair;
    }

    /** The key of {@code pair} rewritten as SEC1 ({@code EC PRIVATE KEY}), as Consul writes leaf keys. */
    public Path sec1Key(Pair pair) {
        Path out = dir.resolve(pair.key().getFileName() + ".sec1");
        openssl("ec", "-in", pair.key().toString(), "-out", out.toString());
        return out;
    }

    /** Replaces {@code target}'s files with {@code source}'s atomically, as a deployment tool would (rename in place). */
    public static void replace(Pair target, Pair source) throws IOException {
        for (Path[] move : new Path[][] {{source.cert(), target.cert()}, {source.key(), target.key()}}) {
            Path tmp = move[1].resolveSibling(move[1].getFileName() + ".tmp");
            Files.copy(move[0], tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, move[1], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    public Path dir() {
        return dir;
    }

    private Pair pair(String name) {
        return new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        run(command);
    }

    private void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish in 30 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
