package io.meshplay.apps.server.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Ports;
import io.meshplay.testing.consul.ConsulAgent;

/**
 * What the end-to-end security tests share: server and client config for a real Consul with Connect,
 * a server of the real example service (counted), one call, the server's metrics, the certificate a
 * server presented, and Consul's HTTP API as an operator would use it.
 */
final class ConnectMesh {

    static final String SERVICE = "example";
    static final String CLIENT = "client-pingpong";
    static final Duration DEADLINE = Duration.ofSeconds(5);
    /** The leaf and the roots come from the agent: ample on a busy 2-core machine. */
    static final Duration READY = Duration.ofSeconds(20);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    private ConnectMesh() {
    }

    /** Registry settings for either side: the test's agent, short intervals, {@code token} (none: empty). */
    static Map<String, String> registry(ConsulAgent consul, String token) {
        Map<String, String> config = new HashMap<>();
        config.put("registry.type", "consul");
        config.put("registry.consul.address", consul.httpAddress());
        config.put("registry.consul.check.interval", "1s");
        config.put("registry.consul.check.timeout", "1s");
        config.put("registry.consul.check.failures-before-critical", "1");
        config.put("registry.consul.watch-max-backoff", "1s");
        config.put("registry.consul.request-timeout", "2s");
        // never a token from the environment of whoever runs the tests
        config.put("registry.consul.token", token == null ? "" : token);
        config.put("broker.type", "memory");
        return config;
    }

    /** A {@code tls.mode: connect} server of {@code service} on ports from the test band, plus {@code extra} pairs. */
    static Map<String, String> server(ConsulAgent consul, String token, String service, String... extra) {
        Map<String, String> config = registry(consul, token);
        config.put("service.name", service);
        config.put("service.shutdown-timeout", "1s");
        config.put("grpc.port", String.valueOf(Ports.free()));
        config.put("server.port", String.valueOf(Ports.free()));
        config.put("tls.mode", "connect");
        put(config, extra);
        return config;
    }

    /** A {@code tls.mode: connect} client calling as {@link #CLIENT}, plus {@code extra} pairs. */
    static Map<String, String> client(ConsulAgent consul, String token, String... extra) {
        Map<String, String> config = registry(consul, token);
        config.put("tls.mode", "connect");
        config.put("tls.identity", CLIENT);
        put(config, extra);
        return config;
    }

    private static void put(Map<String, String> config, String... pairs) {
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            config.put(pairs[i], pairs[i + 1]);
        }
    }

    /** Starts the example service (counted by {@code calls}) with {@code config}; the caller closes it. */
    static MeshplayServer start(Map<String, String> config, HandlerCalls calls) {
        return MeshplayServer.builder().config(MeshplayConfig.of(config)).addService(calls.exampleService()).start();
    }

    /** One unary call; returns the reply. */
    static String call(Channel channel, String name) {
        return ExampleGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .call(Request.newBuilder().setName(name).build()).getMsg();
    }

    /** Calls once and returns the certificate the server presented on that call's connection. */
    static X509Certificate presented(Channel channel) {
        AtomicReference<X509Certificate> leaf = new AtomicReference<>();
        String reply = call(ClientInterceptors.intercept(channel, new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                ClientCall<Q, R> call = next.newCall(method, options);
                return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onHeaders(Metadata received) {
                                try {
                                    leaf.set((X509Certificate) call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)
                                            .getPeerCertificates()[0]);
                                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                                    throw new IllegalStateException("the server presented no certificate", e);
                                }
                                super.onHeaders(received);
                            }
                        }, headers);
                    }
                };
            }
        }), "presented");
        if (!reply.equals("Hello presented")) {
            throw new AssertionError("unexpected reply " + reply);
        }
        return leaf.get();
    }

    /** The sum of the Prometheus samples whose line starts with {@code prefix} on the server's observe port. */
    static double metric(MeshplayServer server, String prefix) {
        return metricsText(server).lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The Prometheus lines starting with {@code prefix}, for an assertion's description. */
    static String metricLines(MeshplayServer server, String prefix) {
        return String.join("\n", metricsText(server).lines().filter(l -> l.startsWith(prefix)).toList());
    }

    private static String metricsText(MeshplayServer server) {
        return http("GET", "http://127.0.0.1:" + server.observePort() + "/observe/metrics", null, null).body();
    }

    /** Status and body of the server's readiness endpoint. */
    static HttpResponse<String> readiness(MeshplayServer server) {
        return http("GET", "http://127.0.0.1:" + server.observePort() + "/observe/health/ready", null, null);
    }

    /** A request to Consul's HTTP API with {@code token} (may be null). */
    static HttpResponse<String> consul(ConsulAgent consul, String method, String path, String body, String token) {
        return consul.call(method, path, body, token);
    }

    static JsonElement consulJson(ConsulAgent consul, String path, String token) {
        HttpResponse<String> response = consul(consul, "GET", path, null, token);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JsonParser.parseString(response.body());
    }

    /** Whether Consul reports instance {@code serviceId} of {@link #SERVICE} passing (what clients are sent to). */
    static boolean passing(ConsulAgent consul, String serviceId, String token) {
        for (JsonElement e : consulJson(consul, "/v1/health/service/" + SERVICE + "?passing", token).getAsJsonArray()) {
            if (serviceId.equals(e.getAsJsonObject().getAsJsonObject("Service").get("ID").getAsString())) {
                return true;
            }
        }
        return false;
    }

    /** The active Connect CA root, as Consul reports it. */
    static X509Certificate activeRoot(ConsulAgent consul) {
        return certificate(activeRootPem(consul));
    }

    /** The active Connect CA root's PEM, as Consul reports it. */
    static String activeRootPem(ConsulAgent consul) {
        JsonObject roots = consulJson(consul, "/v1/connect/ca/roots", null).getAsJsonObject();
        String active = roots.get("ActiveRootID").getAsString();
        for (JsonElement root : roots.getAsJsonArray("Roots")) {
            JsonObject r = root.getAsJsonObject();
            if (r.get("ID").getAsString().equals(active)) {
                return r.get("RootCert").getAsString();
            }
        }
        throw new IllegalStateException("no active root among " + roots);
    }

    static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code leaf} is signed by {@code root}'s key. */
    static boolean signedBy(X509Certificate leaf, X509Certificate root) {
        try {
            leaf.verify(root.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static HttpResponse<String> http(String method, String url, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Consul-Token", token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
