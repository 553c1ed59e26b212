package io.meshplay.apps.server.consul;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.helidon.config.Config;
import io.meshplay.apps.server.ServerMain;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.consul.ConsulAcl;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.meshplay.apps.server.consul.ConsulMesh.SERVICE;
import static io.meshplay.apps.server.consul.ConsulMesh.call;
import static io.meshplay.apps.server.consul.ConsulMesh.passingIds;
import static io.meshplay.apps.server.consul.ConsulMesh.readiness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The server against an ACL agent (default deny): registered with the right token; without one, or with an
 * unknown one, it still serves but readiness says why it is not registered, and no token is ever shown.
 */
@ExtendWith(ConsulExtension.class)
@ConsulAcl
class ConsulServerAclTest {

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    /** Tokens a test used: none may appear in any log line, checked after the servers have stopped. */
    private final List<String> secrets = new ArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler capture = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            // formatted as a log file would show it: parameters filled in, stack traces included
            logged.add(format.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void noTokenFromTheEnvironment() {
        // the registry falls back to these, which would turn "no token" into "some token"
        assumeThat(System.getenv("CONSUL_HTTP_TOKEN")).isNull();
        assumeThat(System.getenv("CONSUL_HTTP_TOKEN_FILE")).isNull();
    }

    @BeforeEach
    void captureLogs() {
        root.addHandler(capture);
    }

    @AfterEach
    void closeAll(ConsulAgent consul) throws Exception {
        try {
            for (AutoCloseable c : closeAfter.reversed()) {
                c.close();
            }
        } finally {
            root.removeHandler(capture);
        }
        secrets.add(consul.managementToken());
        assertThat(logged).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(secrets));
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeAfter.add(c);
        return c;
    }

    private static Config config(ConsulAgent consul, Map<String, String> extra) {
        return MeshplayConfig.of(ConsulMesh.config(consul.httpAddress(), extra));
    }

    @Test
    void registersAndResolvesWithTheToken(ConsulAgent consul) {
        String token = consul.managementToken();
        Config config = config(consul, Map.of("registry.consul.token", token));
        MeshplayServer server = closeLater(ServerMain.start(config));
        String id = server.instance().id();
        assertThat(server.registered()).isTrue();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> passingIds(consul, SERVICE), ids -> ids.contains(id));
        ConsulMesh.Readiness ready = readiness(server.observePort());
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"registry\":\"registered\"").doesNotContain(token);

        // discovery needs the token as well (service:read under default deny)
        try (MeshplayClient client = MeshplayClient.create(config)) {
            assertThat(call(client.channel(SERVICE), "acl")).isEqualTo(id);
        }
    }

    @Test
    void withoutTokenItServesButReadinessSaysTheTokenIsMissing(ConsulAgent consul) {
        MeshplayServer server = closeLater(ServerMain.start(config(consul, Map.of())));
        String id = server.instance().id();
        assertThat(server.registered()).isFalse();
        ConsulMesh.Readiness down = readiness(server.observePort());
        assertThat(down.status()).as(down.body()).isEqualTo(503);
        assertThat(down.body())
                .contains("\"registry\":\"not registered\"")
                .contains("denied register " + id)
                .contains("no ACL token is configured (set registry.consul.token or CONSUL_HTTP_TOKEN)");
        assertThat(consul.get("/v1/agent/services")).doesNotContain(id);
        assertThat(logged).anyMatch(line -> line.contains("cannot register " + id) && line.contains("no ACL token is configured"));

        ManagedChannel direct = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            assertThat(call(direct, "no-token")).as("serves gRPC while unregistered").isEqualTo(id);
        } finally {
            direct.shutdownNow();
        }
    }

    @Test
    void unknownTokenIsReportedAsRejectedAndNeverShown(ConsulAgent consul) {
        String wrong = UUID.randomUUID().toString();
        secrets.add(wrong);
        MeshplayServer server = closeLater(ServerMain.start(config(consul, Map.of("registry.consul.token", wrong))));
        String id = server.instance().id();
        assertThat(server.registered()).isFalse();
        ConsulMesh.Readiness down = readiness(server.observePort());
        assertThat(down.status()).as(down.body()).isEqualTo(503);
        assertThat(down.body())
                .contains("\"registry\":\"not registered\"")
                .contains("rejected the ACL token")
                .contains("ACL not found")
                .doesNotContain(wrong);
        assertThat(consul.get("/v1/agent/services")).doesNotContain(id);
        assertThat(logged).anyMatch(line -> line.contains("cannot register " + id) && line.contains("rejected the ACL token"));
    }

    @Test
    void closingAServerThatNeverRegisteredLogsNoDeregistrationError(ConsulAgent consul) {
        MeshplayServer server = closeLater(ServerMain.start(config(consul, Map.of())));
        String id = server.instance().id();
        assertThat(server.registered()).isFalse();
        server.close();
        assertThat(logged.stream().filter(line -> line.contains("cannot deregister " + id))).isEmpty();
    }
}
