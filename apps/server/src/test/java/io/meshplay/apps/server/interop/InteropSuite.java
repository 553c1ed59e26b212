package io.meshplay.apps.server.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interoperability promise: whatever Consul lists can be called by a conformant gRPC client in any
 * language. One server JVM per transport, registered in a real Consul; every case resolves the address
 * from Consul and runs in grpc-java, Python grpcio (C-core) and Node @grpc/grpc-js. Failures listed in
 * {@link KnownDefects} must reproduce exactly; anything else failing fails the suite.
 */
@ExtendWith(ConsulExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InteropSuite {

    static final String SERVICE = "example";
    static final List<String> CLIENTS = List.of("java", "python", "node");
    static final List<String> CASES = List.of("unary", "metadata", "stream-100k", "stream-1m-slow-reader", "cancel",
            "pingpong", "deadline", "unimplemented", "health-check", "health-watch", "reflection-v1alpha", "reflection-v1");

    private final String transport;
    private final Map<String, Session.Client> clients = new LinkedHashMap<>();
    private final Map<String, RuntimeException> unavailable = new LinkedHashMap<>();
    private final List<CaseReport.Row> rows = new ArrayList<>();
    private final List<String> suiteNotes = new ArrayList<>();
    private ConsulAgent consul;
    private InteropServer server;
    private String instanceId;
    private ConsulView.CheckWatch checks;
    private long suiteStarted;

    InteropSuite(String transport) {
        this.transport = transport;
    }

    @BeforeAll
    void startServer(ConsulAgent consul) {
        suiteStarted = System.nanoTime();
        this.consul = consul;
        clients.put("java", new JavaClient());
        ForeignClient.Protos protos = InteropTools.protos();
        // a client whose runtime cannot be provisioned fails its own cases, not the grpc-java ones
        try {
            clients.put("python", ForeignClient.python(InteropTools.tool("python-grpc"), InteropTools.program("python/interop_client.py"), protos));
        } catch (RuntimeException e) {
            unavailable.put("python", e);
        }
        try {
            clients.put("node", ForeignClient.node(InteropTools.tool("node-grpc"), InteropTools.program("node/interop_client.js"), protos));
        } catch (RuntimeException e) {
            unavailable.put("node", e);
        }
        server = InteropServer.start(transport, Map.of(
                "service.name", SERVICE,
                "registry.type", "consul",
                "registry.consul.address", consul.httpAddress(),
                "registry.consul.check.type", "grpc",
                "registry.consul.check.interval", "1s",
                // 1 s was missed once on a loaded 2-core machine (Consul saw DeadlineExceeded); a check that
                // answers within 3 s still says the server serves health while the cases run
                "registry.consul.check.timeout", "3s",
                "broker.type", "memory"));
        instanceId = server.awaitInstanceId(Duration.ofSeconds(60));
        ConsulView.Target target = awaitPassing(Duration.ofSeconds(30));
        assertThat(target.id()).isEqualTo(instanceId);
        checks = new ConsulView.CheckWatch(consul.httpAddress(), SERVICE, instanceId);
    }

    private ConsulView.Target awaitPassing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return ConsulView.resolve(consul.httpAddress(), SERVICE);
            } catch (RuntimeException e) {
                last = e;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new IllegalStateException("the instance did not pass Consul's check within " + timeout + "; server log:\n"
                + server.logTail(40), last);
    }

    @AfterAll
    void stopServer() throws Exception {
        try {
            if (server != null && server.alive()) {
                long repeated = InteropServer.Metrics.scrape(ConsulView.resolve(consul.httpAddress(), SERVICE)).repeatedCancels();
                suiteNotes.add("repeated onCancel calls over the suite: " + repeated);
                if (KnownDefects.racy(transport, KnownDefects.SINGLE_CANCEL).isEmpty()) {
                    assertThat(repeated).as("onCancel calls beyond the first for one call, whole suite").isZero();
                }
            }
            if (checks != null) {
                checks.close();
                assertThat(checks.problems()).as("Consul's gRPC check of " + instanceId + " over the whole suite ("
                        + checks.observations() + " observations)").isEmpty();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (checks != null) {
                suiteNotes.add("Consul's gRPC check of " + instanceId + ": " + checks.observations() + " statuses seen, not passing: "
                        + checks.problems() + "; outputs " + checks.outputs());
            }
            Path report = CaseReport.write(transport, rows, suiteNotes, (System.nanoTime() - suiteStarted) / 1_000_000);
            System.out.println("interop results for transport " + transport + " in " + report.toAbsolutePath() + ":\n"
                    + Files.readString(report));
        }
    }

    /**
     * The transport under test is really in use: the instance says so in {@code grpc_transport}, and with
     * {@code netty} gRPC has its own port, the observe endpoints' port being in {@code metrics_port}.
     */
    @Test
    void transportIsInEffect() {
        ConsulView.Target target = ConsulView.resolve(consul.httpAddress(), SERVICE);
        assertThat(target.transport()).as("grpc_transport meta of the instance").isEqualTo(transport);
        // the check watched over the suite is Consul's own gRPC health check (Go grpc client) of the gRPC port;
        // the watch records from its own thread, which may not have had Consul's first answer yet
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> checks.observations() > 0);
        // what Consul's Go client said when it checked the gRPC port (the agent's own record of its last run)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(checks::agentOutput, o -> o.toLowerCase(java.util.Locale.ROOT).contains("grpc")
                        && o.contains(target.host() + ":" + target.port()));
        if (transport.equals("netty")) {
            assertThat(target.metricsPort()).as("netty serves gRPC on its own port").isNotEqualTo(target.port());
        } else {
            assertThat(target.metricsPort()).as("helidon serves gRPC and observe on one port").isEqualTo(target.port());
        }
    }

    static Stream<Arguments> matrix() {
        return CASES.stream().flatMap(c -> CLIENTS.stream().map(client -> Arguments.of(client, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void interop(String client, String kase) {
        long started = System.nanoTime();
        Optional<KnownDefects.Defect> known = KnownDefects.find(transport, client, kase);
        JsonObject result = null;
        String verdict = "FAIL";
        try {
            if (unavailable.containsKey(client)) {
                throw new AssertionError("the " + client + " client cannot run: " + unavailable.get(client).getMessage(),
                        unavailable.get(client));
            }
            assertThat(server.alive()).as("server JVM alive; log " + server.log()).isTrue();
            int checksBefore = checks.mark();
            ConsulView.Target target = ConsulView.resolve(consul.httpAddress(), SERVICE);
            CaseDriver driver = new CaseDriver(target, transport, kase);
            result = driver.run(clients.get(client));
            if (known.isPresent()) {
                KnownDefects.assertReproduces(known.get(), result);
                verdict = "KNOWN DEFECT";
            } else {
                assertThat(result.get("ok").getAsBoolean()).as(client + " " + kase + " on " + transport + ": " + result).isTrue();
                driver.assertServerSide(result, instanceId);
                verdict = driver.racyDefectsSeen().isEmpty() ? "PASS" : "PASS, racy defect seen: " + driver.racyDefectsSeen();
            }
            assertThat(checks.problemsSince(checksBefore)).as("Consul's gRPC check of the instance during " + client + " " + kase).isEmpty();
        } finally {
            rows.add(new CaseReport.Row(client, kase, verdict, (System.nanoTime() - started) / 1_000_000,
                    CaseReport.note(result, known)));
        }
    }
}
