package io.meshplay.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.meshplay.example.service.ExampleService;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.consul.ConsulAgent;

/** Example servers registered in a test's real Consul with 1 s checks, and the CLI settings to reach them. */
final class MeshFixture implements AutoCloseable {

    private final ConsulAgent consul;
    private final Map<String, String> extra;
    private final List<MeshplayServer> servers = new ArrayList<>();

    MeshFixture(ConsulAgent consul) {
        this(consul, Map.of());
    }

    /** @param extra more registry settings for servers and the CLI alike, e.g. an ACL token */
    MeshFixture(ConsulAgent consul, Map<String, String> extra) {
        this.consul = consul;
        this.extra = Map.copyOf(extra);
    }

    /** Registry settings for a server or the CLI: the test's agent, short intervals. */
    Map<String, String> registrySettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("registry.type", "consul");
        settings.put("registry.consul.address", consul.httpAddress());
        settings.put("registry.consul.check.interval", "1s");
        // a 500 ms timeout failed checks under load (a CLI call then found "no healthy instance"); bounds, not speed
        settings.put("registry.consul.check.timeout", "2s");
        settings.put("registry.consul.reconcile-interval", "1s");
        settings.put("registry.consul.watch-max-backoff", "1s");
        settings.put("registry.consul.request-timeout", "2s");
        settings.putAll(extra);
        return settings;
    }

    MeshplayServer startServer(String service, String version) {
        Map<String, String> settings = registrySettings();
        settings.put("service.name", service);
        settings.put("service.version", version);
        settings.put("service.shutdown-timeout", "1s");
        MeshplayServer server = MeshplayServer.builder().config(MeshplayConfig.of(settings)).addService(new ExampleService()).start();
        servers.add(server);
        return server;
    }

    /** The ACL token the servers and the CLI use, if the extra settings give one. */
    String token() {
        return extra.get("registry.consul.token");
    }

    Cli cli() {
        return new Cli(registrySettings());
    }

    @Override
    public void close() {
        servers.reversed().forEach(MeshplayServer::close);
    }
}
