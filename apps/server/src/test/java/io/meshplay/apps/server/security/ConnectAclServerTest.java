package io.meshplay.apps.server.security;

import static io.meshplay.apps.server.security.ConnectMesh.CLIENT;
import static io.meshplay.apps.server.security.ConnectMesh.READY;
import static io.meshplay.apps.server.security.ConnectMesh.SERVICE;
import static io.meshplay.apps.server.security.ConnectMesh.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import io.meshplay.testing.consul.ConsulAcl;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tls.mode: connect} against an agent with ACLs on and default deny. With a token that has
 * service:write on its service, the server gets its leaf, registers and serves, and a client with its own
 * token calls once an intention allows it (default deny denies before). With a token lacking
 * service:write the server starts but is not ready, and readiness and one log line name the missing
 * permission: it stays up rather than exiting because the leaf watch keeps asking, so granting the
 * permission makes it ready without a restart. No token ever appears in a log line.
 */
@ExtendWith(ConsulExtension.class)
@ConsulAcl
class ConnectAclServerTest {

    private static final String WRITER_RULES = "service \"example\" { policy = \"write\" }\nnode_prefix \"\" { policy = \"read\" }";
    private static final String LACKS = "the ACL token lacks service:write on 'example', needed for its Connect certificate";

    @RegisterExtension
    final Closer closer = new Closer();
    private final List<String> secrets = new ArrayList<>();
    private LogLines log;

    @BeforeAll
    static void noTokenFromTheEnvironment() {
        assumeThat(System.getenv("CONSUL_HTTP_TOKEN")).isNull();
        assumeThat(System.getenv("CONSUL_HTTP_TOKEN_FILE")).isNull();
    }

    @BeforeEach
    void captureLogs() {
        log = LogLines.of("");
    }

    @AfterEach
    void noSecretLogged(ConsulAgent consul) throws Exception {
        closer.afterEach(null); // the servers' last lines (deregistration, stop) count too
        log.close();
        secrets.add(consul.managementToken());
        assertThat(log.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(secrets));
    }

    @Test
    void withServiceWriteItServesAndDefaultDenyHoldsUntilAnIntentionAllows(ConsulAgent consul) {
        String serverToken = token(consul, "example-server", WRITER_RULES).secret();
        String clientToken = token(consul, "pingpong-client", "service \"" + CLIENT + "\" { policy = \"write\" }\n"
                + "service \"example\" { policy = \"read\" }\nnode_prefix \"\" { policy = \"read\" }").secret();
        HandlerCalls handler = new HandlerCalls();
        MeshplayServer server = closer.add(ConnectMesh.start(ConnectMesh.server(consul, serverToken, SERVICE), handler));
        await().atMost(READY).until(server::securityReady);
        assertThat(server.registered()).isTrue();
        await().atMost(READY).pollInterval(Duration.ofMillis(200))
                .until(() -> ConnectMesh.passing(consul, server.instance().id(), consul.managementToken()));

        MeshplayClient client = closer.add(MeshplayClient.create(MeshplayConfig.of(ConnectMesh.client(consul, clientToken))));
        assertThatThrownBy(() -> call(client.channel(SERVICE), "default-deny"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).contains(CLIENT + " may not call " + SERVICE);
                });
        assertThat(handler.count()).isZero();

        String intention = "{\"SourceName\":\"" + CLIENT + "\",\"DestinationName\":\"" + SERVICE + "\",\"Action\":\"allow\"}";
        HttpResponse<String> created = ConnectMesh.consul(consul, "POST", "/v1/connect/intentions", intention, consul.managementToken());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(50)).ignoreException(StatusRuntimeException.class)
                .until(() -> call(client.channel(SERVICE), "allowed"), "Hello allowed"::equals);
        assertThat(handler.count()).isEqualTo(1);
    }

    @Test
    void withoutServiceWriteItIsNotReadyAndSaysWhichPermissionIsMissingUntilGranted(ConsulAgent consul) {
        Token reader = token(consul, "example-reader", "service \"example\" { policy = \"read\" }");
        MeshplayServer server = closer.add(ConnectMesh.start(ConnectMesh.server(consul, reader.secret(), SERVICE,
                "registry.consul.reconcile-interval", "1s"), new HandlerCalls()));
        await().atMost(READY).pollInterval(Duration.ofMillis(200))
                .until(() -> ConnectMesh.readiness(server).body(), body -> body.contains(LACKS));
        HttpResponse<String> notReady = ConnectMesh.readiness(server);
        assertThat(notReady.statusCode()).as(notReady.body()).isEqualTo(503);
        assertThat(server.securityReady()).isFalse();
        JsonObject tls = check(notReady.body(), "tls");
        assertThat(tls.has("data")).as(notReady.body()).isTrue();
        assertThat(tls.get("status").getAsString()).isEqualTo("DOWN");
        assertThat(tls.getAsJsonObject("data").get("error").getAsString()).isEqualTo(LACKS);
        await().atMost(READY).until(() -> log.lines().stream().anyMatch(l -> l.startsWith("SEVERE") && l.contains(LACKS)));
        System.out.println("readiness without service:write: " + notReady.body());

        // the operator grants it: ready without a restart (leaf watch and registration retry on their own)
        long granted = System.nanoTime();
        HttpResponse<String> update = ConnectMesh.consul(consul, "PUT", "/v1/acl/policy/" + reader.policyId(),
                "{\"Name\":\"example-reader\",\"Rules\":\"" + WRITER_RULES.replace("\"", "\\\"").replace("\n", "\\n") + "\"}",
                consul.managementToken());
        assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).until(() -> ConnectMesh.readiness(server).statusCode() == 200);
        System.out.printf("service:write granted: ready %d ms later%n", (System.nanoTime() - granted) / 1_000_000);
        assertThat(server.securityReady()).isTrue();
        assertThat(log.lines().stream().filter(l -> l.contains(LACKS))).as("logged once, not per retry").hasSize(1);
    }

    private static JsonObject check(String readiness, String name) {
        for (var c : JsonParser.parseString(readiness).getAsJsonObject().getAsJsonArray("checks")) {
            if (name.equals(c.getAsJsonObject().get("name").getAsString())) {
                return c.getAsJsonObject();
            }
        }
        throw new AssertionError("no check " + name + " in " + readiness);
    }

    record Token(String secret, String policyId) {
    }

    /** A token with one policy of {@code rules} (HCL); its secret is checked against every log line. */
    private Token token(ConsulAgent consul, String policyName, String rules) {
        String management = consul.managementToken();
        JsonObject policy = new JsonObject();
        policy.addProperty("Name", policyName);
        policy.addProperty("Rules", rules);
        HttpResponse<String> p = ConnectMesh.consul(consul, "PUT", "/v1/acl/policy", policy.toString(), management);
        assertThat(p.statusCode()).as(p.body()).isEqualTo(200);
        HttpResponse<String> t = ConnectMesh.consul(consul, "PUT", "/v1/acl/token",
                "{\"Policies\":[{\"Name\":\"" + policyName + "\"}]}", management);
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        Token token = new Token(JsonParser.parseString(t.body()).getAsJsonObject().get("SecretID").getAsString(),
                JsonParser.parseString(p.body()).getAsJsonObject().get("ID").getAsString());
        secrets.add(token.secret());
        return token;
    }
}
