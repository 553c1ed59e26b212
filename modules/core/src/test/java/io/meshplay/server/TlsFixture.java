package io.meshplay.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.helidon.config.Config;
import io.meshplay.client.SecureChannels;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.Response;
import io.meshplay.testing.TestCertificates;
import io.meshplay.security.TransportSecurity;
import io.meshplay.testing.Closer;
import io.meshplay.testing.Ports;

/** Servers and clients with {@code tls.*} for the TLS tests: real certificates, real sockets, memory registry. */
final class TlsFixture {

    static final Duration DEADLINE = Duration.ofSeconds(10);

    final TestCertificates certs;
    final TestCertificates.Pair ca;
    final TestCertificates.Pair example;
    final TestCertificates.Pair client;
    private final Closer closer;

    TlsFixture(Path dir, Closer closer) {
        this.certs = new TestCertificates(dir);
        this.closer = closer;
        this.ca = certs.ca("ca");
        this.example = certs.leaf(ca, "example");
        this.client = certs.leaf(ca, "client");
    }

    static Config config(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return MeshplayConfig.of(map);
    }

    /** An {@code example} server with these {@code tls.*} (and other) keys. */
    MeshplayServer server(String... tls) {
        List<String> pairs = new java.util.ArrayList<>(List.of("service.name", "example", "registry.type", "memory",
                "registry.memory.name", "tls-" + UUID.randomUUID(), "grpc.port", String.valueOf(Ports.free()),
                "server.port", String.valueOf(Ports.free())));
        pairs.addAll(List.of(tls));
        return closer.add(MeshplayServer.builder().config(config(pairs.toArray(String[]::new))).addService(new Hello()).start());
    }

    /** Server files: the example certificate, optionally trusting the CA (mutual TLS). */
    String[] serverFiles(boolean mutual, String... more) {
        List<String> pairs = new java.util.ArrayList<>(List.of("tls.mode", "files", "tls.files.cert", example.cert().toString(),
                "tls.files.key", example.key().toString()));
        if (mutual) {
            pairs.addAll(List.of("tls.files.ca", ca.cert().toString()));
        }
        pairs.addAll(List.of(more));
        return pairs.toArray(String[]::new);
    }

    /** The client side of {@code tls.*}; empty for plaintext. */
    Optional<TransportSecurity> clientSecurity(String... tls) {
        Optional<TransportSecurity> security = SecureChannels.open(config(tls), "client");
        security.ifPresent(closer::add);
        return security;
    }

    Optional<TransportSecurity> trustingClient(TestCertificates.Pair own) {
        return own == null ? clientSecurity("tls.mode", "files", "tls.files.ca", ca.cert().toString())
                : clientSecurity("tls.mode", "files", "tls.files.ca", ca.cert().toString(),
                "tls.files.cert", own.cert().toString(), "tls.files.key", own.key().toString());
    }

    /** A direct channel to the server's gRPC port (a new connection), secured as {@code security} says. */
    ManagedChannel channel(MeshplayServer server, Optional<TransportSecurity> security) {
        ManagedChannel channel = SecureChannels.configure(NettyChannelBuilder.forAddress("127.0.0.1", server.port()), security, "example").build();
        closer.add(() -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        });
        return channel;
    }

    static String hello(Channel channel) {
        return ExampleGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE).call(Request.newBuilder().setName("tls").build()).getMsg();
    }

    /** Calls once and returns the subject of the certificate the server presented on that connection. */
    static String presented(Channel channel) {
        AtomicReference<String> subject = new AtomicReference<>();
        hello(ClientInterceptors.intercept(channel, new ClientInterceptor() {
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
                                    X509Certificate leaf = (X509Certificate) call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)
                                            .getPeerCertificates()[0];
                                    subject.set(leaf.getSubjectX500Principal().getName());
                                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                                    subject.set("unverified");
                                }
                                super.onHeaders(received);
                            }
                        }, headers);
                    }
                };
            }
        }));
        return subject.get();
    }

    /** The sum of the Prometheus samples whose line starts with {@code prefix} on the server's observe port. */
    static double metric(MeshplayServer server, String prefix) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.observePort() + "/observe/metrics"))
                    .timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        }
    }

    /** The Prometheus lines that start with {@code prefix}, for an assertion's description. */
    static String metricLines(MeshplayServer server, String prefix) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.observePort() + "/observe/metrics"))
                    .timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString()).body();
            return String.join("\n", text.lines().filter(l -> l.startsWith(prefix)).toList());
        }
    }

    /** The lines a logger writes from now until the test ends. */
    List<String> capture(Class<?> source) {
        Logger logger = Logger.getLogger(source.getName());
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        closer.add(() -> logger.removeHandler(handler));
        return lines;
    }

    /** Answers {@code hello <name>}. */
    static final class Hello extends ExampleGrpc.ExampleImplBase {
        @Override
        public void call(Request request, StreamObserver<Response> reply) {
            reply.onNext(Response.newBuilder().setMsg("hello " + request.getName()).build());
            reply.onCompleted();
        }
    }
}
