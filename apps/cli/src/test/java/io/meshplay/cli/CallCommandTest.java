package io.meshplay.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.google.gson.JsonObject;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** call against example servers found through a real Consul, with the method learnt by gRPC reflection. */
@ExtendWith(ConsulExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallCommandTest {

    private MeshFixture mesh;
    private MeshplayServer first;
    private MeshplayServer second;
    private Cli cli;

    @BeforeAll
    void start(ConsulAgent consul) {
        mesh = new MeshFixture(consul);
        first = mesh.startServer("example", "1.0.0");
        second = mesh.startServer("example", "1.0.0");
        cli = mesh.cli();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Cli.Result r = cli.run("services", "-o", "json");
            return r.exitCode() == 0 && r.out().contains("\"passing\": 2");
        });
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void unaryCallPrintsTheResponseAsJson() {
        Cli.Result r = cli.run("call", "example", "Example/Call", "{\"name\":\"John\"}", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).hasSize(1);
        assertThat(r.lines().get(0).get("msg").getAsString()).isEqualTo("Hello John");
    }

    @Test
    void dottedMethodNamesAndTableOutputWork() {
        Cli.Result r = cli.run("call", "example", "Example.Call", "{\"name\":\"Ann\"}");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\"msg\": \"Hello Ann\"");
    }

    @Test
    void instanceOptionPinsTheCallToOneInstance() {
        for (MeshplayServer server : List.of(first, second)) {
            Cli.Result r = cli.run("call", "example", "Example/Call", "{\"name\":\"pin\"}", "--instance", server.instance().id(),
                    "-o", "json", "--verbose");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.lines().get(0).get("msg").getAsString()).isEqualTo("Hello pin");
            assertThat(r.err()).contains("1 response(s) from " + server.instance().id());
        }
    }

    @Test
    void unknownInstanceListsTheInstances() {
        Cli.Result r = cli.run("call", "example", "Example/Call", "{}", "--instance", "nope");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.errorLine()).contains("no instance 'nope'", first.instance().id(), second.instance().id());
    }

    @Test
    void serverStreamingPrintsEveryResponse() {
        Cli.Result r = cli.run("call", "example", "Example/Stream", "{\"count\":5}", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).extracting(l -> l.get("count").getAsLong()).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void bidiStreamingSendsOneRequestPerStdinLine() {
        Cli.Result r = cli.runWithStdin("{\"stroke\":1}\n\n{\"stroke\":2}\n{\"stroke\":3}\n",
                "call", "example", "Example/PingPong", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines()).extracting(l -> l.get("stroke").getAsLong()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void badStdinLineInAStreamSaysWhichLine() {
        Cli.Result r = cli.runWithStdin("{\"stroke\":1}\n{\"stroke\": }\n", "call", "example", "Example/PingPong", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errorLine()).startsWith("meshplay: malformed JSON in stdin line 2").contains("line 1 column 12");
    }

    @Test
    void timeoutEndsALongStream() {
        Cli.Result r = cli.run("call", "example", "Example/Stream", "{\"count\":100000000}", "--timeout", "300ms", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.errorLine()).endsWith("did not finish within 300ms (--timeout)");
    }

    @Test
    void unknownServiceListsTheKnownOnes() {
        Cli.Result r = cli.run("call", "exmaple", "Example/Call", "{}");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).isEqualTo("meshplay: no service 'exmaple' in Consul at " + mesh.registrySettings().get("registry.consul.address")
                + "; known services: example" + System.lineSeparator());
    }

    @Test
    void unknownGrpcServiceListsWhatTheServerOffers() {
        Cli.Result r = cli.run("call", "example", "Sample/Call", "{}");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.errorLine()).contains("does not serve 'Sample'; it serves: ", "Example", "grpc.health.v1.Health");
    }

    @Test
    void unknownMethodListsTheServiceMethods() {
        Cli.Result r = cli.run("call", "example", "Example/Cal", "{}");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.errorLine()).isEqualTo("meshplay: 'Example' has no method 'Cal'; its methods: Call (unary), "
                + "Stream (server streaming), PingPong (bidi streaming)");
    }

    @Test
    void malformedJsonSaysWhere() {
        Cli.Result r = cli.run("call", "example", "Example/Call", "{\"name\": \"John\",, }");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("meshplay: malformed JSON in the request: ").contains("line 1 column 18");
        assertThat(r.err().lines()).as("checked before any network call, so no reflection warning either").hasSize(1);
    }

    @Test
    void jsonThatDoesNotFitTheRequestNamesTheFields() {
        Cli.Result r = cli.run("call", "example", "Example/Call", "{\"nam\":\"John\"}");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errorLine()).contains("does not fit Request", "nam", "its fields: name");
    }

    @Test
    void notAMethodIsAUsageError() {
        Cli.Result r = cli.run("call", "example", "Call", "{}");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errorLine()).contains("expected Service/Method");
    }

    @Test
    void descriptorSetReplacesReflection(@TempDir Path dir) throws Exception {
        Path protoset = dir.resolve("example.protoset");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/meshplay/example.protoset")) {
            Files.write(protoset, in.readAllBytes());
        }

        Cli.Result r = cli.run("call", "example", "Example/Call", "{\"name\":\"Set\"}", "--descriptor", protoset.toString(),
                "-o", "json", "-v");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines().get(0).get("msg").getAsString()).isEqualTo("Hello Set");
        assertThat(r.err()).contains("Example.Call (unary) from the descriptor set " + protoset).doesNotContain("warning");
    }

    @Test
    void callsTheServersOwnHealthServiceToo() {
        Cli.Result r = cli.run("call", "example", "grpc.health.v1.Health/Check", "{}", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonObject response = r.lines().get(0);
        assertThat(response.get("status").getAsString()).isEqualTo("SERVING");
    }
}
