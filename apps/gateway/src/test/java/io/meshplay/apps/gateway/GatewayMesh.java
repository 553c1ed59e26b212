package io.meshplay.apps.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.service.ExampleService;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.consul.ConsulAgent;

import static org.awaitility.Awaitility.await;

/**
 * A test's mesh: real example and probe servers registered in the test's real Consul (1 s checks), the
 * gateway in front of them on a free port, and an HTTP client for it.
 */
final class GatewayMesh implements AutoCloseable {

    final ExampleService example1 = new ExampleService();
    final ExampleService example2 = new ExampleService();
    final ProbeService probe = new ProbeService();
    final List<MeshplayServer> servers = new ArrayList<>();
    final Gateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ConsulAgent consul;

    /** @param gatewaySettings more gateway.* keys, e.g. a small stream-keep-alive */
    GatewayMesh(ConsulAgent consul, Map<String, String> gatewaySettings) {
        this.consul = consul;
        try {
            servers.add(server("example", example1));
            servers.add(server("example", example2));
            MeshplayServer probeServer = MeshplayServer.builder().config(MeshplayConfig.of(serverSettings("probe")))
                    .addService(probe::definition).start();
            servers.add(probeServer);
            Map<String, String> settings = registrySettings();
            settings.put("service.name", "gateway");
            settings.put("service.shutdown-timeout", "1s");
            settings.put("server.port", "0");
            settings.put("broker.type", "memory");
            settings.putAll(gatewaySettings);
            gateway = Gateway.start(MeshplayConfig.of(settings));
            // every instance passing its check: the gateway sees only healthy ones
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.server().registry().instances("example").size() == 2
                    && gateway.server().registry().instances("probe").size() == 1);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private MeshplayServer server(String name, ExampleService service) {
        return MeshplayServer.builder().config(MeshplayConfig.of(serverSettings(name))).addService(service).start();
    }

    private Map<String, String> serverSettings(String name) {
        Map<String, String> settings = registrySettings();
        settings.put("service.name", name);
        settings.put("service.shutdown-timeout", "1s");
        return settings;
    }

    Map<String, String> registrySettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("registry.type", "consul");
        settings.put("registry.consul.address", consul.httpAddress());
        settings.put("registry.consul.check.interval", "1s");
        settings.put("registry.consul.check.timeout", "2s");
        settings.put("registry.consul.check.failures-before-critical", "1");
        settings.put("registry.consul.reconcile-interval", "1s");
        settings.put("registry.consul.watch-max-backoff", "1s");
        settings.put("registry.consul.request-timeout", "2s");
        return settings;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
        servers.reversed().forEach(MeshplayServer::close);
        http.close();
    }
}
