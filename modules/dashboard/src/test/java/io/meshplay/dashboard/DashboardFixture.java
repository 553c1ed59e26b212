package io.meshplay.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.Message;
import io.meshplay.broker.PoisonMessageException;
import io.meshplay.broker.Subscription;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.service.ExampleService;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.consul.ConsulAgent;

/**
 * A small real mesh for the dashboard's tests: a test's Consul and Azurite, example servers on the core runtime,
 * a subscriber that poisons each message the first time it sees it, and the dashboard served by an in-process
 * Helidon WebServer on a free port. Short intervals everywhere; {@link #close()} stops what it started.
 */
final class DashboardFixture implements AutoCloseable {

    static final String POISON_REASON = "refused by the dashboard test: not a greeting";

    private final Map<String, String> settings = new HashMap<>();
    private final List<MeshplayServer> servers = new ArrayList<>();
    private final Registry registry;
    private final Broker broker;
    private final DashboardService dashboard;
    private final WebServer web;
    private final String queue;
    private final Set<String> poisonedOnce = ConcurrentHashMap.newKeySet();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final Subscription subscription;
    private final HttpClient http = HttpClient.newHttpClient();

    DashboardFixture(ConsulAgent consul, Azurite azurite, String queue) {
        this.queue = queue;
        settings.put("registry.type", "consul");
        settings.put("registry.consul.address", consul.httpAddress());
        settings.put("registry.consul.check.interval", "1s");
        settings.put("registry.consul.check.timeout", "2s");
        settings.put("registry.consul.check.failures-before-critical", "1");
        settings.put("registry.consul.reconcile-interval", "1s");
        settings.put("registry.consul.watch-max-backoff", "1s");
        settings.put("registry.consul.request-timeout", "2s");
        settings.put("broker.type", "azqueue");
        settings.put("broker.azqueue.endpoint", azurite.endpoint());
        settings.put("broker.azqueue.max-polling-interval", "200ms");
        settings.put("broker.azqueue.retry-backoff", "100ms");
        settings.put("dashboard.queues", queue);
        settings.put("dashboard.refresh-interval", "300ms");
        settings.put("dashboard.scrape-interval", "300ms");
        Config config = MeshplayConfig.of(settings);
        registry = Registries.create(config.get("registry"));
        broker = Brokers.create(config.get("broker"));
        subscription = broker.subscribe(queue, event -> {
            String id = event.message().header(Message.MESSAGE_ID);
            if (poisonedOnce.add(id)) {
                throw new PoisonMessageException(POISON_REASON);
            }
            handled.add(id);
        });
        dashboard = DashboardService.create(config.get("dashboard"), registry, Optional.of(broker));
        web = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.register("/", dashboard)).build().start();
    }

    MeshplayServer startExample() {
        Map<String, String> server = new HashMap<>(settings);
        server.put("service.name", "example");
        server.put("service.version", "1.0.0");
        server.put("service.shutdown-timeout", "1s");
        MeshplayServer started = MeshplayServer.builder().config(MeshplayConfig.of(server)).addService(new ExampleService()).start();
        servers.add(started);
        return started;
    }

    /** Unary calls straight to one server's gRPC port, so its counters move. */
    static void call(MeshplayServer server, int times) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            ExampleGrpc.ExampleBlockingStub stub = ExampleGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            for (int i = 0; i < times; i++) {
                stub.call(Request.newBuilder().setName("rate-" + i).build());
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    void publish(String messageId, String body) {
        broker.publish(queue, new Message(Map.of(Message.MESSAGE_ID, messageId, Message.CONTENT_TYPE, "text/plain"),
                body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Message ids the subscriber acknowledged (each message is poisoned the first time, handled after a replay). */
    List<String> handled() {
        return handled;
    }

    String queue() {
        return queue;
    }

    Broker broker() {
        return broker;
    }

    String url(String path) {
        return "http://127.0.0.1:" + web.port() + path;
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonObject getJson(String path) throws Exception {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    @Override
    public void close() {
        servers.reversed().forEach(MeshplayServer::close);
        web.stop();
        dashboard.close();
        subscription.close();
        broker.close();
        registry.close();
        http.close();
    }
}
