package io.meshplay.apps.gateway;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Status;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.testing.Ports;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every error the gateway answers, with its HTTP status and its {"code","message","details"} body. */
@ExtendWith(ConsulExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayErrorsTest {

    private GatewayMesh mesh;

    @BeforeAll
    void start(ConsulAgent consul) {
        mesh = new GatewayMesh(consul, Map.of("gateway.stream-keep-alive", "100ms"));
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Status.Code.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void grpcStatusBecomesTheHttpStatusGrpcGatewayGives(Status.Code code) {
        HttpResponse<String> r = mesh.post("/probe/Probe/Fail", "{\"code\":" + code.value() + ",\"message\":\"asked for " + code + "\"}");
        int expected = switch (code) {
            case CANCELLED -> 499;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            default -> 500;
        };
        assertThat(r.statusCode()).isEqualTo(expected);
        JsonObject body = error(r);
        assertThat(body.get("code").getAsInt()).isEqualTo(code.value());
        assertThat(body.get("message").getAsString()).isEqualTo("asked for " + code);
        JsonObject detail = body.getAsJsonArray("details").get(0).getAsJsonObject();
        assertThat(detail.get("@type").getAsString()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        assertThat(detail.get("reason").getAsString()).isEqualTo("PROBE");
        assertThat(detail.getAsJsonObject("metadata").get("asked").getAsString()).isEqualTo(String.valueOf(code.value()));
    }

    @Test
    void malformedJsonIs400NamingThePosition() {
        HttpResponse<String> r = mesh.post("/example/Example/Call", "{\"name\": \"x\",\n  nope}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("code").getAsInt()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(error(r).get("message").getAsString()).contains("malformed JSON in the request body").contains("line 2 column");
    }

    @Test
    void jsonThatDoesNotFitIs400NamingTheFields() {
        HttpResponse<String> r = mesh.post("/example/Example/Call", "{\"nom\":\"x\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("message").getAsString()).contains("does not fit Request").contains("its fields: name");
    }

    @Test
    void badLineOfARequestStreamIs400NamingTheLine() {
        HttpResponse<String> r = mesh.post("/probe/Probe/Sum", "{\"value\":1}\n{\"value\":}\n");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("message").getAsString()).contains("request line 2");
    }

    @Test
    void unknownServiceIs404ListingTheServices() {
        HttpResponse<String> r = mesh.post("/nosuch/Example/Call", "{}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r).get("message").getAsString()).contains("no service 'nosuch'").contains("example").contains("probe");
        assertThat(mesh.get("/_/api/services/nosuch/methods").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownGrpcServiceOrMethodIs404ListingWhatExists() {
        HttpResponse<String> service = mesh.post("/example/Nope/Call", "{}");
        assertThat(service.statusCode()).isEqualTo(404);
        assertThat(error(service).get("message").getAsString()).contains("no gRPC service 'Nope'").contains("Example");
        HttpResponse<String> method = mesh.post("/example/Example/Nope", "{}");
        assertThat(method.statusCode()).isEqualTo(404);
        assertThat(error(method).get("message").getAsString()).contains("no method 'Nope'").contains("Call, Stream, PingPong");
    }

    @Test
    void serviceWithoutHealthyInstanceIs503() {
        try (Registry registry = Registries.create(MeshplayConfig.of(mesh.registrySettings()).get("registry"))) {
            // registered at a port nothing listens on: its gRPC check fails, so it is known but never healthy
            registry.register(ServiceInstance.builder().name("ghost").version("1.0.0").host("127.0.0.1")
                    .port(Ports.free()).build());
            await().atMost(Duration.ofSeconds(15)).until(() -> mesh.post("/ghost/Example/Call", "{}").statusCode() == 503);
            HttpResponse<String> r = mesh.post("/ghost/Example/Call", "{}");
            assertThat(error(r).get("code").getAsInt()).isEqualTo(Status.Code.UNAVAILABLE.value());
            assertThat(error(r).get("message").getAsString()).contains("no healthy instance");
            assertThat(mesh.get("/_/api/services/ghost/methods").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void tenMegabyteBodyIsRefusedWith413BeforeItIsRead() throws Exception {
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", mesh.gateway.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            // only the headers: a gateway that waited for the 10 MB would never answer
            out.write(("POST /example/Example/Call HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + 10 * 1024 * 1024 + "\r\n\r\n{\"name\":\"").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readHead(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        HttpResponse<String> r = mesh.post("/example/Example/Call", "{\"name\":\"" + "x".repeat(4 * 1024 * 1024 + 1) + "\"}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r).get("code").getAsInt()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
        assertThat(error(r).get("message").getAsString()).contains("gateway.max-body-size");
    }

    @Test
    void deadlineFromGrpcTimeoutIs504AndAMalformedOneIs400() {
        HttpResponse<String> late = mesh.post("/example/Example/Call", "{}", "Grpc-Timeout", "1n");
        assertThat(late.statusCode()).isEqualTo(504);
        assertThat(error(late).get("code").getAsInt()).isEqualTo(Status.Code.DEADLINE_EXCEEDED.value());
        // a stream already under way (200 after its first keep-alive) ends with an error line instead
        HttpResponse<String> stream = mesh.post("/probe/Probe/Ticks", "{\"intervalMillis\":5000}", "Grpc-Timeout", "300m");
        assertThat(stream.statusCode()).isEqualTo(200);
        String last = stream.body().strip().lines().reduce((a, b) -> b).orElseThrow();
        JsonObject error = JsonParser.parseString(last).getAsJsonObject().getAsJsonObject("error");
        assertThat(error.get("code").getAsInt()).isEqualTo(Status.Code.DEADLINE_EXCEEDED.value());
        assertThat(error.keySet()).containsExactlyInAnyOrder("code", "message", "details");
        HttpResponse<String> bad = mesh.post("/example/Example/Call", "{}", "Grpc-Timeout", "soon");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(error(bad).get("message").getAsString()).contains("Grpc-Timeout");
    }

    @Test
    void reservedPrefixIsTheGatewaysOwn() {
        HttpResponse<String> r = mesh.post("/_/x/y", "{}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r).get("message").getAsString()).contains("no gateway endpoint");
    }

    @Test
    void reservedMetadataHeaderIs400() {
        HttpResponse<String> r = mesh.post("/example/Example/Call", "{}", "Grpc-Metadata-Grpc-Status", "0");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("message").getAsString()).contains("reserved");
    }

    /** The error body, checked to be the grpc-gateway shape and free of stack traces. */
    private static JsonObject error(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.body()).doesNotContain("\tat ").doesNotContain("Exception");
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        assertThat(body.keySet()).containsExactlyInAnyOrder("code", "message", "details");
        return body;
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        for (int b = in.read(); b != -1 && head.length() < 4096; b = in.read()) { // the status line is enough
            head.append((char) b);
            if (head.indexOf("\r\n") >= 0) {
                break;
            }
        }
        return head.toString();
    }
}
