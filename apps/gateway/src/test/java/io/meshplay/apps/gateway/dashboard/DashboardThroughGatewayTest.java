package io.meshplay.apps.gateway.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.meshplay.apps.gateway.Gateway;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.service.ExampleService;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.browser.BrowserSession;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard as the gateway serves it, in real headless chromium: two example instances registered in a real
 * Consul, and a call made from the form generated from the gateway's schema (gRPC reflection) shows the server's
 * answer; a server stream shows each message.
 */
@ExtendWith(ConsulExtension.class)
class DashboardThroughGatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void callFromTheFormShowsTheAnswer(ConsulAgent consul) {
        List<MeshplayServer> servers = new ArrayList<>();
        Gateway gateway = null;
        try {
            servers.add(example(consul));
            servers.add(example(consul));
            Map<String, String> settings = registry(consul);
            settings.put("service.name", "gateway");
            settings.put("service.shutdown-timeout", "1s");
            settings.put("server.port", "0");
            settings.put("broker.type", "memory");
            settings.put("dashboard.refresh-interval", "300ms");
            gateway = Gateway.start(MeshplayConfig.of(settings));
            try (BrowserSession page = BrowserSession.open("http://127.0.0.1:" + gateway.port() + "/", WAIT)) {
                page.waitForText(servers.get(0).instance().id(), WAIT);
                page.waitForText(servers.get(1).instance().id(), WAIT);
                page.click("button", "Call example…", WAIT);
                page.waitForText("method(s) of example.", WAIT);
                page.select("Method", "Example/Call", WAIT);
                page.fill("name (string)", "Dashboard", WAIT);
                page.click("button", "Send", WAIT);
                page.waitForText("\"msg\": \"Hello Dashboard\"", WAIT);
                page.waitForText("OK in", WAIT);

                page.select("Method", "Example/Stream (server stream)", WAIT);
                page.fill("count (int64)", "3", WAIT);
                page.click("button", "Send", WAIT);
                page.waitForText("Stream ended: 3 message(s)", WAIT);
                assertThat(page.scriptErrors()).isEmpty();
                page.screenshot();
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            servers.reversed().forEach(MeshplayServer::close);
        }
    }

    private static MeshplayServer example(ConsulAgent consul) {
        Map<String, String> settings = registry(consul);
        settings.put("service.name", "example");
        settings.put("service.shutdown-timeout", "1s");
        return MeshplayServer.builder().config(MeshplayConfig.of(settings)).addService(new ExampleService()).start();
    }

    private static Map<String, String> registry(ConsulAgent consul) {
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
}
