package io.meshplay.bench;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.Collectors;

import io.meshplay.security.Pem;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * Row 7's static-TLS pair gets the very certificates the Connect side uses: a service's leaf from the
 * bench's Consul agent ({@code /v1/agent/connect/ca/leaf/<service>}, which the agent caches per service, so
 * it is the one the meshplay server or client holds) and the CA roots ({@code /v1/agent/connect/ca/roots}),
 * written as PEM files. Consul's leaf keys are SEC1 ({@code EC PRIVATE KEY}), which Netty does not read, so
 * the key is written as PKCS#8 ({@code openssl pkcs8 -topk8} would do the same); the files are owner-only
 * and deleted when the row ends. Key material is never printed.
 */
final class ConnectPems implements AutoCloseable {

    /** One leaf as files: its certificate and its key (PKCS#8). */
    record Leaf(Path cert, Path key) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String agent;
    private final Path dir;

    private ConnectPems(String agent, Path dir) {
        this.agent = agent;
        this.dir = dir;
    }

    /** Files in a fresh folder under {@code parent}, from the agent at {@code agentAddress} (http://host:port). */
    static ConnectPems in(Path parent, String agentAddress) {
        try {
            Files.createDirectories(parent);
            return new ConnectPems(agentAddress, Files.createTempDirectory(parent, "row7-tls-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a folder for row 7's PEM files under " + parent + ": " + e, e);
        }
    }

    /** The CA roots, all of them (as a Connect client trusts them), in one PEM file. */
    Path roots() {
        JsonObject answer = get("/v1/agent/connect/ca/roots");
        String pems = answer.getJsonArray("Roots").getValuesAs(JsonObject.class).stream()
                .map(r -> r.getString("RootCert").strip() + "\n")
                .collect(Collectors.joining());
        return write("ca.pem", pems);
    }

    /** {@code service}'s leaf, as the agent hands it to that service. */
    Leaf leaf(String service) {
        JsonObject answer = get("/v1/agent/connect/ca/leaf/" + service);
        Path cert = write(service + "-cert.pem", answer.getString("CertPEM").strip() + "\n");
        byte[] pkcs8;
        try {
            pkcs8 = Pem.privateKey(answer.getString("PrivateKeyPEM")).getEncoded();
        } catch (Pem.PemException e) {
            throw new IllegalStateException("the agent's leaf key for " + service + " " + e.getMessage(), e);
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        return new Leaf(cert, write(service + "-key.pem", pem));
    }

    private JsonObject get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(agent + path)).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + agent + path + " answered HTTP " + response.statusCode());
            }
            try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
                return reader.readObject();
            }
        } catch (IOException e) {
            throw new IllegalStateException("GET " + agent + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + agent + path, e);
        }
    }

    private Path write(String name, String text) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("bench: could not delete " + dir + ": " + e);
        }
    }
}
