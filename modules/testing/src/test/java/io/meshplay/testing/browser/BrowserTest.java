package io.meshplay.testing.browser;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.sun.net.httpserver.HttpServer;
import io.meshplay.testing.zipkin.ZipkinExtension;
import io.meshplay.testing.zipkin.ZipkinProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real headless chromium: Zipkin's React UI shows a posted trace; a text that never appears fails clearly. */
@ExtendWith(ZipkinExtension.class)
class BrowserTest {

    private static ZipkinProcess zipkin;

    @BeforeAll
    static void zipkin(ZipkinProcess started) {
        zipkin = started;
    }

    @Test
    void zipkinsUiShowsAPostedTrace() throws Exception {
        String traceId = hex(16);
        long now = System.currentTimeMillis() * 1000;
        String spans = """
                [{"traceId":"%1$s","id":"0000000000000001","name":"post /checkout","kind":"SERVER",
                  "localEndpoint":{"serviceName":"frontend-svc"},"timestamp":%2$d,"duration":3000},
                 {"traceId":"%1$s","id":"0000000000000002","parentId":"0000000000000001","name":"charge-card","kind":"CLIENT",
                  "localEndpoint":{"serviceName":"frontend-svc"},"remoteEndpoint":{"serviceName":"payments-svc"},
                  "timestamp":%3$d,"duration":1000},
                 {"traceId":"%1$s","id":"0000000000000002","name":"charge-card","kind":"SERVER","shared":true,
                  "localEndpoint":{"serviceName":"payments-svc"},"timestamp":%4$d,"duration":800}]
                """.formatted(traceId, now, now + 200, now + 300);
        assertThat(post(zipkin.spansEndpoint(), spans)).isEqualTo(202);
        zipkin.awaitTrace(traceId, s -> s.size() == 3, Duration.ofSeconds(10));

        Path shot = Path.of("target", "mesh-logs", "zipkin-trace-" + traceId + ".png");
        Browser.PageText page = Browser.open(zipkin.url() + "/zipkin/traces/" + traceId,
                List.of("frontend-svc", "payments-svc", "charge-card"), Duration.ofSeconds(60), shot);

        assertThat(page.text()).contains("post /checkout", traceId);
        assertThat(page.screenshot()).isEqualTo(shot.toAbsolutePath());
        assertThat(Files.size(shot)).isGreaterThan(1000);
    }

    @Test
    void aTextThatNeverAppearsFailsWithWhatThePageShowed() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] html = "<html><body><h1>meshplay page</h1><p>only this</p></body></html>".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            assertThat(Browser.open(url, List.of("meshplay page"), Duration.ofSeconds(10)).text())
                    .contains("meshplay page", "only this");
            Path shot = Path.of("target", "mesh-logs", "browser-missing-text.png");
            assertThatThrownBy(() -> Browser.open(url, List.of("meshplay page", "never there"), Duration.ofSeconds(2), shot))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("did not show [never there]")
                    .hasMessageContaining("only this")
                    .hasMessageContaining(shot.toAbsolutePath().toString());
            assertThat(shot).exists();
        } finally {
            server.stop(0);
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static int post(String endpoint, String json) throws Exception {
        try (var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()) {
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
