package io.meshplay.apps.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.grpc.GrpcClient;
import io.meshplay.client.ClientOptions;
import io.meshplay.client.RegistryClientUriSupplier;
import io.meshplay.client.MeshplayClient;
import io.meshplay.client.ServedBy;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.StreamingRequest;
import io.meshplay.example.proto.StreamingResponse;
import io.meshplay.example.client.PingPong;
import io.meshplay.example.client.ServerStream;
import io.meshplay.example.service.ExampleService;
import io.meshplay.broker.Broker;
import io.meshplay.broker.PublishOptions;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.broker.memory.MemoryBroker;
import io.meshplay.registry.memory.MemoryRegistry;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The foundation end to end in one JVM: server runtime, registry-resolved client, memory plug-ins; run
 * once per gRPC transport by the subclasses.
 */
abstract class ServerRuntimeCases {

    /** {@code grpc.transport}: netty or helidon. */
    abstract String transport();

    /** The key naming the port gRPC listens on with this transport. */
    abstract String grpcPortKey();

    private Config config(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of("service.name", "example", "grpc.transport", transport()));
        config.putAll(extra);
        return MeshplayConfig.of(config);
    }

    private final MemoryRegistry registry = new MemoryRegistry();
    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T closeLater(T c) {
        return closer.add(c);
    }

    private MeshplayServer server(ExampleService service, Map<String, String> extra) {
        return closeLater(MeshplayServer.builder().config(config(extra)).registry(registry)
                .addService(service).start());
    }

    private MeshplayClient client() {
        return closeLater(MeshplayClient.create(registry, ClientOptions.defaults()));
    }

    @Test
    void allThreeCallKindsThroughNameResolvedChannel() throws Exception {
        server(new ExampleService(), Map.of());
        MeshplayClient client = client();

        var response = ExampleGrpc.newBlockingStub(client.channel("example"))
                .withDeadlineAfter(10, TimeUnit.SECONDS).call(Request.newBuilder().setName("John").build());
        assertThat(response.getMsg()).isEqualTo("Hello John");
        assertThat(ServerStream.stream(client.channel("example"), 10, c -> { })).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(PingPong.play(client.channel("example"), 10, stroke -> { })).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void twoInstancesShareCallsRoundRobin() {
        MeshplayServer a = server(new ExampleService(), Map.of());
        MeshplayServer b = server(new ExampleService(), Map.of());
        MeshplayClient client = client();
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.instances("example").size() == 2);
        // round_robin picks only READY connections: count once both are, not while the second still connects
        Set<String> warm = new HashSet<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ServedBy by = new ServedBy();
            ExampleGrpc.newBlockingStub(client.channel("example")).withInterceptors(by.interceptor())
                    .call(Request.newBuilder().setName("warm-up").build());
            warm.add(by.instance());
            return warm.size() == 2;
        });

        Map<String, Integer> servedBy = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            ServedBy by = new ServedBy();
            ExampleGrpc.newBlockingStub(client.channel("example")).withInterceptors(by.interceptor())
                    .call(Request.newBuilder().setName("n" + i).build());
            servedBy.merge(by.instance(), 1, Integer::sum);
        }
        assertThat(servedBy.keySet()).containsExactlyInAnyOrder(a.instance().id(), b.instance().id());
        assertThat(servedBy.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(40));
    }

    @Test
    void helidonGrpcClientResolvesThroughTheRegistryAdapter() {
        // Helidon's client does not hand response headers to interceptors, so each server counts its own calls.
        AtomicInteger callsA = new AtomicInteger();
        AtomicInteger callsB = new AtomicInteger();
        MeshplayServer a = closeLater(MeshplayServer.builder().config(config(Map.of()))
                .registry(registry).addService(counted(callsA)).start());
        closeLater(MeshplayServer.builder().config(config(Map.of()))
                .registry(registry).addService(counted(callsB)).start());
        RegistryClientUriSupplier uris = closeLater(new RegistryClientUriSupplier(registry, "example"));
        GrpcClient helidon = GrpcClient.builder()
                .tls(Tls.builder().enabled(false).build())
                .baseUri("http://" + a.instance().address())
                .clientUriSupplier(uris)
                .socketOptions(o -> o.tcpNoDelay(true))
                .build();
        for (int i = 0; i < 10; i++) {
            var reply = ExampleGrpc.newBlockingStub(helidon.channel()).call(Request.newBuilder().setName("helidon").build());
            assertThat(reply.getMsg()).isEqualTo("Hello helidon");
        }
        assertThat(callsA.get()).isEqualTo(5);
        assertThat(callsB.get()).isEqualTo(5);
    }

    private static BindableService counted(AtomicInteger calls) {
        return () -> ServerInterceptors.intercept(new ExampleService(), new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                calls.incrementAndGet();
                return next.startCall(call, headers);
            }
        });
    }

    @Test
    void instanceVisibleWhileUpAndGoneAfterShutdown() {
        MeshplayServer server = server(new ExampleService(), Map.of("service.version", "2.1.0"));
        assertThat(registry.instances("example")).singleElement().satisfies(i -> {
            assertThat(i.port()).isEqualTo(server.port());
            assertThat(i.tags()).contains("grpc", "metrics", "v2.1.0");
            assertThat(i.metadata()).containsEntry("metrics_path", "/observe/metrics")
                    .containsEntry("metrics_port", Integer.toString(server.observePort()))
                    .containsEntry("grpc_transport", transport())
                    .containsEntry("version", "2.1.0");
            assertThat(i.metadata().get("grpc_methods")).contains("Example/Call", "Example/Stream", "Example/PingPong");
        });
        server.close();
        assertThat(registry.instances("example")).isEmpty();
    }

    @Test
    void noInstanceIsUnavailableNamingTheService() {
        MeshplayClient client = client();
        assertThatThrownBy(() -> ExampleGrpc.newBlockingStub(client.channel("nobody-here"))
                .withDeadlineAfter(10, TimeUnit.SECONDS).call(Request.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains("nobody-here");
                });
    }

    @Test
    void grpcHealthServingAndObserveEndpointsAnswer() throws Exception {
        MeshplayServer server = server(new ExampleService(), Map.of());
        ManagedChannel direct = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(direct).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("").build());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            ExampleGrpc.newBlockingStub(direct).call(Request.newBuilder().setName("metrics").build());
        } finally {
            direct.shutdownNow();
        }
        HttpClient http = HttpClient.newHttpClient();
        var ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.observePort() + "/observe/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("registered");
        var metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.observePort() + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("grpc_server_call_started_total{grpc_method=\"Example/Call\"")
                .contains("grpc_server_call_duration_seconds_count{grpc_method=\"Example/Call\",grpc_status=\"OK\"")
                .contains("meshplay_registry_registered{instance=\"" + server.instance().id() + "\"");
    }

    @Test
    void reflectionListsTheServicesInBothVersions() throws Exception {
        MeshplayServer server = server(new ExampleService(), Map.of());
        ManagedChannel direct = closeLater(new Closing(ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build())).channel();
        List<String> v1 = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> v1alpha = new java.util.concurrent.CopyOnWriteArrayList<>();
        var done = new java.util.concurrent.CountDownLatch(2);
        var requests1 = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(direct).withDeadlineAfter(5, TimeUnit.SECONDS)
                .serverReflectionInfo(Observers.collecting(r -> r.getListServicesResponse().getServiceList()
                        .forEach(x -> v1.add(x.getName())), done));
        requests1.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
        requests1.onCompleted();
        var requestsAlpha = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(direct).withDeadlineAfter(5, TimeUnit.SECONDS)
                .serverReflectionInfo(Observers.collecting(r -> r.getListServicesResponse().getServiceList()
                        .forEach(x -> v1alpha.add(x.getName())), done));
        requestsAlpha.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
        requestsAlpha.onCompleted();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(v1alpha).contains("Example", "grpc.health.v1.Health");
        if (transport().equals("netty")) {
            assertThat(v1).contains("Example", "grpc.health.v1.Health");
        }
    }

    @Test
    void grpcHealthAndReadinessFollowTheSubscriptions() throws Exception {
        List<Subscription> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        MemoryBroker memory = closeLater(new MemoryBroker());
        // a real memory broker; the test only keeps hold of the subscription so it can end it, as a dying
        // receiver would (a state the azqueue subscriber cannot be driven into from outside)
        Broker recording = new Broker() {
            public String type() { return memory.type(); }
            public void publish(String topic, io.meshplay.broker.Message message, PublishOptions options) { memory.publish(topic, message, options); }
            public Subscription subscribe(String topic, io.meshplay.broker.Handler handler, SubscribeOptions options) {
                Subscription s = memory.subscribe(topic, handler, options);
                opened.add(s);
                return s;
            }
            public void close() { }
        };
        MeshplayServer server = closeLater(MeshplayServer.builder().config(config(Map.of()))
                .registry(registry).broker(recording).addService(new ExampleService())
                .subscribe("sample-queue", e -> { }, SubscribeOptions.defaults()).start());
        ManagedChannel direct = closeLater(new Closing(ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build())).channel();
        var health = HealthGrpc.newBlockingStub(direct);
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + server.observePort() + "/observe/health/ready");
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        opened.getFirst().close();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                health.check(HealthCheckRequest.getDefaultInstance()).getStatus() == HealthCheckResponse.ServingStatus.NOT_SERVING);
        var body = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(body.statusCode()).isEqualTo(503);
        assertThat(body.body()).contains("not subscribed");
    }

    private record Closing(ManagedChannel channel) implements AutoCloseable {
        public void close() {
            channel.shutdownNow();
        }
    }

    @Test
    void millionStreamWithSlowReaderStaysBoundedAndStopsOnCancel() throws Exception {
        ExampleService service = new ExampleService();
        server(service, Map.of());
        MeshplayClient client = client();
        long[] received = new long[1];
        ClientCallStreamObserver<?>[] call = new ClientCallStreamObserver<?>[1];
        ExampleGrpc.newStub(client.channel("example")).stream(StreamingRequest.newBuilder().setCount(1_000_000).build(),
                new ClientResponseObserver<StreamingRequest, StreamingResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamingRequest> requestStream) {
                        call[0] = requestStream;
                        requestStream.disableAutoRequestWithInitial(1);
                    }

                    @Override
                    public void onNext(StreamingResponse value) {
                        synchronized (received) {
                            received[0]++;
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        // The reader takes 1,000 and then asks for nothing more: the sender must stall on flow control,
        // having run ahead only by what the HTTP/2 windows hold, not by the full million.
        call[0].request(999);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (received) {
                return received[0] == 1_000;
            }
        });
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            long now = service.streamedResponses();
            boolean stalled = now == last[0];
            last[0] = now;
            return stalled;
        });
        long ahead = service.streamedResponses();
        System.out.println("slow reader: took 1000, server stalled after handing " + ahead + " responses to the transport");
        // A response is ~10 bytes on the wire, and the windows in between (the reader's 1 MiB HTTP/2 stream
        // window, the server's write buffers) hold ~2 MiB: 118k ahead measured on helidon, 207k on netty.
        // A sender that ignored flow control would run through all million.
        assertThat(ahead).isGreaterThan(1_000).isLessThan(400_000);
        call[0].cancel("reader leaves", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> service.openStreams() == 0);
        assertThat(service.streamedResponses()).isLessThan(1_000_000);
    }

    @Test
    void badConfigAndBusyPortGiveClearErrors() throws Exception {
        assertThatThrownBy(() -> MeshplayServer.builder().config(MeshplayConfig.of(Map.of("service.name", "x", "registry.type", "zookeeper")))
                .addService(new ExampleService()).start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("registry.type").hasMessageContaining("zookeeper").hasMessageContaining("memory");
        assertThatThrownBy(() -> MeshplayServer.builder().config(MeshplayConfig.of(Map.of())).registry(registry)
                .addService(new ExampleService()).start())
                .isInstanceOf(ConfigException.class).hasMessageContaining("service.name");
        MeshplayServer first = server(new ExampleService(), Map.of());
        assertThatThrownBy(() -> server(new ExampleService(), Map.of(grpcPortKey(), Integer.toString(first.port()))))
                .hasMessageContaining(Integer.toString(first.port())).hasMessageContaining(grpcPortKey());
        assertThatThrownBy(() -> server(new ExampleService(), Map.of("server.port", Integer.toString(first.observePort()))))
                .hasMessageContaining("port " + first.observePort()).hasMessageContaining("server.port");
        assertThatThrownBy(() -> server(new ExampleService(), Map.of("grpc.transport", "okhttp")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("grpc.transport").hasMessageContaining("okhttp")
                .hasMessageContaining("netty").hasMessageContaining("helidon");
        Config bad = MeshplayConfig.of(Map.of("load-balancing", "random"));
        assertThatThrownBy(() -> ClientOptions.from(bad)).hasMessageContaining("load-balancing").hasMessageContaining("round_robin");
        Set<String> none = new HashSet<>(registry.services());
        assertThat(none).containsExactly("example");
    }
}
