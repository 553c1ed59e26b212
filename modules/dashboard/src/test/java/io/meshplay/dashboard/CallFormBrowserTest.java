package io.meshplay.dashboard;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import com.google.gson.JsonParser;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.memory.MemoryRegistry;
import io.meshplay.testing.browser.BrowserSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call form in real headless chromium: built from a method schema in the gateway's format, with the field
 * types example.proto lacks (int32, bool, enum, nested message, repeated); what it sends, how it shows a server
 * stream and an error. The two gateway routes are stand-ins that echo what they get: no service in this repository
 * has these field types, and this test is about what the form builds and shows. The call through the real gateway
 * to real example servers is apps/gateway's DashboardThroughGatewayTest.
 */
class CallFormBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SCHEMA = """
            [{"grpcService":"stub.Stub","method":"Echo","path":"/stub/Stub/Echo","clientStreaming":false,
              "serverStreaming":false,"inputType":"stub.EchoRequest","outputType":"stub.EchoReply",
              "input":{"fields":[
                {"name":"name","jsonName":"name","type":"string","repeated":false,"map":false},
                {"name":"times","jsonName":"times","type":"int32","repeated":false,"map":false},
                {"name":"loud","jsonName":"loud","type":"bool","repeated":false,"map":false},
                {"name":"mood","jsonName":"mood","type":"enum","repeated":false,"map":false,"enumValues":["CALM","ANGRY"]},
                {"name":"inner","jsonName":"inner","type":"message","repeated":false,"map":false,
                 "fields":[{"name":"note","jsonName":"note","type":"string","repeated":false,"map":false}]},
                {"name":"tags","jsonName":"tags","type":"string","repeated":true,"map":false}]}},
             {"grpcService":"stub.Stub","method":"Count","path":"/stub/Stub/Count","clientStreaming":false,
              "serverStreaming":true,"inputType":"stub.CountRequest","outputType":"stub.CountReply",
              "input":{"fields":[{"name":"count","jsonName":"count","type":"int64","repeated":false,"map":false}]}}]
            """;

    @Test
    void formBuiltFromTheSchemaSendsTheFieldsAndShowsAnswersStreamsAndErrors() {
        AtomicReference<String> received = new AtomicReference<>();
        try (MemoryRegistry registry = new MemoryRegistry()) {
            registry.register(ServiceInstance.builder().id("stub-1").name("stub").port(9000).tags(List.of("grpc")).build());
            DashboardService dashboard = DashboardService.create(Config.empty(), registry, Optional.empty());
            WebServer web = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r
                    .get("/_/api/services/stub/methods", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "application/json").send(SCHEMA))
                    .post("/stub/Stub/Echo", (req, res) -> {
                        String body = req.content().as(String.class);
                        received.set(body);
                        if (body.contains("\"bad\"")) {
                            res.status(Status.BAD_REQUEST_400).header(HeaderNames.CONTENT_TYPE, "application/json")
                                    .send("{\"code\":\"INVALID_ARGUMENT\",\"message\":\"name must not be bad\"}");
                            return;
                        }
                        res.header(HeaderNames.CONTENT_TYPE, "application/json").send("{\"received\":" + body + "}");
                    })
                    .post("/stub/Stub/Count", (req, res) -> {
                        res.header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
                        try (OutputStream out = res.outputStream()) {
                            for (int i = 1; i <= 3; i++) {
                                out.write(("{\"count\":\"" + i + "\"}\n").getBytes(StandardCharsets.UTF_8));
                                out.flush();
                            }
                        }
                    })
                    .register("/", dashboard)).build().start();
            try (BrowserSession page = BrowserSession.open("http://127.0.0.1:" + web.port() + "/", WAIT)) {
                page.click("button", "Call stub…", WAIT);
                page.waitForText("2 method(s) of stub.", WAIT);
                page.fill("name (string)", "Ada", WAIT);
                page.fill("times (int32)", "3", WAIT);
                page.click("checkbox", "loud (bool)", WAIT);
                page.select("mood (enum)", "ANGRY", WAIT);
                page.fill("note (string)", "nested", WAIT);
                page.fill("tags (JSON array of string)", "[\"a\", \"b\"]", WAIT);
                page.click("button", "Send", WAIT);
                page.waitForText("OK in", WAIT);
                page.waitForText("\"received\": {", WAIT);
                assertThat(JsonParser.parseString(received.get())).isEqualTo(JsonParser.parseString(
                        "{\"name\":\"Ada\",\"times\":3,\"loud\":true,\"mood\":\"ANGRY\",\"inner\":{\"note\":\"nested\"},\"tags\":[\"a\",\"b\"]}"));

                page.fill("name (string)", "bad", WAIT);
                page.click("button", "Send", WAIT);
                page.waitForText("Failed: HTTP 400 INVALID_ARGUMENT: name must not be bad", WAIT);

                page.select("Method", "stub.Stub/Count (server stream)", WAIT);
                page.fill("count (int64)", "3", WAIT);
                page.click("button", "Send", WAIT);
                page.waitForText("Stream ended: 3 message(s)", WAIT);
                assertThat(page.text()).contains("{\"count\":\"1\"}").contains("{\"count\":\"3\"}");
                assertThat(page.scriptErrors()).isEmpty();
            } finally {
                web.stop();
                dashboard.close();
            }
        }
    }
}
