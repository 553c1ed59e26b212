package io.meshplay.registry.consul.connect;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.meshplay.security.Side;
import io.meshplay.security.TransportSecurity;
import io.meshplay.security.TransportSecurityProvider;
import io.meshplay.testing.consul.ConsulAgent;

/** What the Connect tests share: configs, Consul's HTTP API as a person would use it, an in-memory TLS handshake. */
final class ConnectTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    private ConnectTestSupport() {
    }

    /** A root config with tls.mode connect against {@code agent}, plus {@code extra} key/value pairs. */
    static Config config(ConsulAgent agent, String... extra) {
        Map<String, String> map = new HashMap<>();
        map.put("tls.mode", "connect");
        map.put("registry.consul.address", agent.httpAddress());
        map.put("registry.consul.watch-max-backoff", "1s");
        map.put("registry.consul.request-timeout", "2s");
        // no token from the environment of whoever runs the tests
        map.put("registry.consul.token", "");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            map.put(extra[i], extra[i + 1]);
        }
        return Config.just(ConfigSources.create(map));
    }

    /** Opens connect through the ServiceLoader, as the runtime does. */
    static ConnectSecurity open(Config root, Side side, String name) {
        TransportSecurity security = io.meshplay.security.TransportSecurities.open(root, side, name).orElseThrow();
        return (ConnectSecurity) security;
    }

    static TransportSecurityProvider provider() {
        return new ConnectProvider();
    }

    /** A request to Consul's HTTP API with {@code token} (may be null); returns status and body. */
    static HttpResponse<String> call(ConsulAgent agent, String method, String path, String body, String token) {
        return agent.call(method, path, body, token);
    }

    static JsonNode ok(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("bad JSON", e);
        }
    }

    /** Creates an intention (Consul 1.8 API) and returns its ID. */
    static String intention(ConsulAgent agent, String source, String destination, String action, String token) {
        String body = JSON.createObjectNode().put("SourceName", source).put("DestinationName", destination)
                .put("Action", action).toString();
        return ok(call(agent, "POST", "/v1/connect/intentions", body, token)).path("ID").asText();
    }

    static void updateIntention(ConsulAgent agent, String id, String source, String destination, String action, String token) {
        String body = JSON.createObjectNode().put("SourceName", source).put("DestinationName", destination)
                .put("Action", action).toString();
        ok(call(agent, "PUT", "/v1/connect/intentions/" + id, body, token));
    }

    /** An ACL token with {@code rules} (HCL); returns its secret. */
    static String aclToken(ConsulAgent agent, String policyName, String rules) {
        String management = agent.managementToken();
        ok(call(agent, "PUT", "/v1/acl/policy", JSON.createObjectNode().put("Name", policyName).put("Rules", rules).toString(),
                management));
        String token = "{\"Policies\":[{\"Name\":\"" + policyName + "\"}]}";
        return ok(call(agent, "PUT", "/v1/acl/token", token, management)).path("SecretID").asText();
    }

    /** A fresh P-256 key as SEC1 PEM ({@code EC PRIVATE KEY}), the form Consul 1.8 accepts for its CA. */
    static String newSec1EcKeyPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        // PKCS#8: SEQUENCE { version, AlgorithmIdentifier { ecPublicKey, curve }, OCTET STRING { SEC1 without curve } }
        List<Der.Element> outer = Der.parse(pkcs8).children();
        byte[] curve = outer.get(1).children().get(1).encoded();
        List<Der.Element> inner = Der.parse(outer.get(2).content()).children();
        List<byte[]> parts = new ArrayList<>();
        parts.add(inner.get(0).encoded());
        parts.add(inner.get(1).encoded());
        parts.add(Der.encode(Der.CONTEXT_0, curve));
        for (int i = 2; i < inner.size(); i++) {
            if (inner.get(i).tag() != Der.CONTEXT_0) {
                parts.add(inner.get(i).encoded());
            }
        }
        byte[] sec1 = Der.encode(Der.SEQUENCE, parts.toArray(byte[][]::new));
        return "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(sec1)
                + "\n-----END EC PRIVATE KEY-----\n";
    }

    static SSLContext context(TransportSecurity security) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {security.keyManager()},
                new javax.net.ssl.TrustManager[] {security.trustManager()}, null);
        return context;
    }

    /**
     * A full TLS handshake between a client and a server engine in memory (server demands a client
     * certificate; client asks for host-name checks as grpc-java does), then one message each way.
     *
     * @return the client's and the server's session
     * @throws javax.net.ssl.SSLException as the failing side threw it
     */
    static SSLSession[] handshake(TransportSecurity clientSide, TransportSecurity serverSide) throws Exception {
        return handshake(context(clientSide), context(serverSide));
    }

    /** As {@link #handshake(TransportSecurity, TransportSecurity)}; a failure's message starts with the side that failed. */
    static SSLSession[] handshake(SSLContext clientContext, SSLContext serverContext) throws Exception {
        SSLEngine client = clientContext.createSSLEngine("example.invalid", 443);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        server.setNeedClientAuth(true);

        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
        ByteBuffer clientOut = ByteBuffer.wrap("hello server".getBytes(StandardCharsets.UTF_8));
        ByteBuffer serverOut = ByteBuffer.wrap("hello client".getBytes(StandardCharsets.UTF_8));
        ByteBuffer clientIn = ByteBuffer.allocate(app + 64);
        ByteBuffer serverIn = ByteBuffer.allocate(app + 64);
        ByteBuffer toServer = ByteBuffer.allocate(packet * 2);
        ByteBuffer toClient = ByteBuffer.allocate(packet * 2);
        for (int round = 0; round < 200; round++) {
            final ByteBuffer in = toClient;
            final ByteBuffer out = toServer;
            side("client", client, () -> client.wrap(clientOut, out));
            side("server", server, () -> server.wrap(serverOut, in));
            toServer.flip();
            toClient.flip();
            side("client", client, () -> client.unwrap(in, clientIn));
            side("server", server, () -> server.unwrap(out, serverIn));
            toServer.compact();
            toClient.compact();
            if (clientIn.position() == "hello client".length() && serverIn.position() == "hello server".length()) {
                return new SSLSession[] {client.getSession(), server.getSession()};
            }
        }
        throw new IllegalStateException("no handshake within 200 rounds");
    }

    private interface EngineStep {
        SSLEngineResult run() throws javax.net.ssl.SSLException;
    }

    private static void side(String name, SSLEngine engine, EngineStep step) throws javax.net.ssl.SSLException {
        SSLEngineResult result;
        try {
            result = step.run();
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw (javax.net.ssl.SSLHandshakeException) new javax.net.ssl.SSLHandshakeException(name + ": " + e.getMessage())
                    .initCause(e);
        }
        if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }
    }
}
