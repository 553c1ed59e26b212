package io.meshplay.testing.zipkin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real Zipkin: spans posted as Zipkin v2 JSON come back through the query API; stop and restart on one port. */
@ExtendWith(ZipkinExtension.class)
class ZipkinProcessTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private static ZipkinProcess zipkin;

    @BeforeAll
    static void zipkin(ZipkinProcess started) {
        zipkin = started;
    }

    @Test
    void postedSpansComeBackWithTheirFields() throws Exception {
        String traceId = randomHex(16);
        long now = System.currentTimeMillis() * 1000;
        assertThat(post(twoSpans(traceId, now, "Checkout-Svc", "payments"))).isEqualTo(202);

        List<ZipkinSpan> spans = zipkin.awaitTrace(traceId, s -> s.size() == 2, Duration.ofSeconds(10));

        ZipkinSpan root = spans.stream().filter(ZipkinSpan::isRoot).findFirst().orElseThrow();
        assertThat(root.traceId()).isEqualTo(traceId);
        assertThat(root.id()).isEqualTo("00000000000000a1");
        assertThat(root.name()).as("Zipkin lower-cases names").isEqualTo("post /checkout");
        assertThat(root.kind()).isEqualTo("SERVER");
        assertThat(root.serviceName()).isEqualTo("checkout-svc");
        assertThat(root.remoteServiceName()).isNull();
        assertThat(root.timestamp()).isEqualTo(now);
        assertThat(root.duration()).isEqualTo(1500);
        assertThat(root.tags()).isEqualTo(Map.of("http.method", "POST", "http.status_code", "200"));
        assertThat(root.annotations()).containsExactly("wire.recv");

        ZipkinSpan child = spans.stream().filter(s -> !s.isRoot()).findFirst().orElseThrow();
        assertThat(child.parentId()).isEqualTo(root.id());
        assertThat(child.kind()).isEqualTo("CLIENT");
        assertThat(child.name()).isEqualTo("charge");
        assertThat(child.remoteServiceName()).isEqualTo("payments");
        assertThat(child.tags()).isEmpty();
        assertThat(child.annotations()).isEmpty();

        assertThat(zipkin.services()).contains("checkout-svc");
        assertThat(zipkin.traces("checkout-svc", 10)).anySatisfy(t -> assertThat(t).extracting(ZipkinSpan::traceId).contains(traceId));
        assertThat(zipkin.spanCount()).isGreaterThanOrEqualTo(2);
        assertThat(zipkin.trace(randomHex(16))).as("an unknown trace").isEmpty();
    }

    @Test
    void awaitTraceFailsWithWhatItLastSaw() {
        String traceId = randomHex(16);
        assertThat(post(twoSpans(traceId, System.currentTimeMillis() * 1000, "svc-await", "other"))).isEqualTo(202);
        assertThatThrownBy(() -> zipkin.awaitTrace(traceId, s -> s.size() == 3, Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("did not match within PT0.5S")
                .hasMessageContaining("2 span(s)")
                .hasMessageContaining("charge");
    }

    @Test
    void stoppedZipkinRefusesSpansAndARestartedOneTakesThemOnTheSamePort() {
        int port = zipkin.port();
        zipkin.stop();
        try {
            assertThat(zipkin.pid()).isEqualTo(-1);
            assertThatThrownBy(() -> post(twoSpans(randomHex(16), System.currentTimeMillis() * 1000, "svc-down", "x")))
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .cause().isInstanceOf(java.net.ConnectException.class);
        } finally {
            zipkin.restart();
        }
        assertThat(zipkin.port()).isEqualTo(port);
        String traceId = randomHex(16);
        assertThat(post(twoSpans(traceId, System.currentTimeMillis() * 1000, "svc-back", "x"))).isEqualTo(202);
        assertThat(zipkin.awaitTrace(traceId, s -> s.size() == 2, Duration.ofSeconds(10)))
                .extracting(ZipkinSpan::serviceName).containsOnly("svc-back");
        assertThat(zipkin.services()).as("the restarted Zipkin is empty but for the new trace").containsExactly("svc-back");
        assertThat(zipkin.spanCount()).isEqualTo(2);
    }

    static String twoSpans(String traceId, long micros, String service, String remote) {
        return """
                [{"traceId":"%1$s","id":"00000000000000a1","name":"POST /checkout","kind":"SERVER",
                  "localEndpoint":{"serviceName":"%3$s","ipv4":"127.0.0.1"},"timestamp":%2$d,"duration":1500,
                  "tags":{"http.method":"POST","http.status_code":"200"},
                  "annotations":[{"timestamp":%2$d,"value":"wire.recv"}]},
                 {"traceId":"%1$s","id":"00000000000000b2","parentId":"00000000000000a1","name":"charge","kind":"CLIENT",
                  "localEndpoint":{"serviceName":"%3$s"},"remoteEndpoint":{"serviceName":"%4$s"},
                  "timestamp":%5$d,"duration":700}]
                """.formatted(traceId, micros, service, remote, micros + 100);
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** POSTs a v2 JSON span list; the status, or an unchecked exception when Zipkin cannot be reached. */
    static int post(String json) {
        return post(zipkin.spansEndpoint(), json);
    }

    static int post(String endpoint, String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint))
                            .timeout(Duration.ofSeconds(5))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("POST " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
