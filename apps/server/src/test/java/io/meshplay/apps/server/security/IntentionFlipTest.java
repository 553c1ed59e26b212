package io.meshplay.apps.server.security;

import static io.meshplay.apps.server.security.ConnectMesh.CLIENT;
import static io.meshplay.apps.server.security.ConnectMesh.READY;
import static io.meshplay.apps.server.security.ConnectMesh.SERVICE;
import static io.meshplay.apps.server.security.ConnectMesh.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.grpc.Status;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.IntentionAdministration;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An intention flipped in Consul while a client keeps calling: denied within 2 s, with PERMISSION_DENIED
 * naming both services and counted on the server; allowed again within 2 s.
 */
@ExtendWith(ConsulExtension.class)
class IntentionFlipTest {

    /** What the issue asks of a flip, as a running client sees it. */
    private static final Duration FLIP = Duration.ofSeconds(2);
    private static final String DENIED_SERIES = "grpc_server_denied_total{destination=\"" + SERVICE
            + "\",scope=\"vendor\",source=\"" + CLIENT + "\"";

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void aFlippedIntentionReachesARunningClientWithinTwoSeconds(ConsulAgent consul) throws Exception {
        HandlerCalls handler = new HandlerCalls();
        MeshplayServer server = closer.add(ConnectMesh.start(ConnectMesh.server(consul, null, SERVICE), handler));
        await().atMost(READY).until(server::securityReady);
        // the client is sent only to passing instances: before, its calls would fail for that reason
        await().atMost(READY).pollInterval(Duration.ofMillis(200))
                .until(() -> ConnectMesh.passing(consul, server.instance().id(), null));
        MeshplayClient client = closer.add(MeshplayClient.create(MeshplayConfig.of(ConnectMesh.client(consul, null))));
        IntentionAdministration intentions = client.registry().intentions().orElseThrow();
        closer.add(() -> intentions.delete(CLIENT, SERVICE));
        double deniedBefore = ConnectMesh.metric(server, DENIED_SERIES);

        CallLoad load = CallLoad.start("flip", i -> call(client.channel(SERVICE), "flip-" + i),
                Duration.ofMillis(5), Duration.ofSeconds(40), 20_000);
        closer.add(load);
        await().atMost(READY).until(() -> load.count(Status.Code.OK) >= 20);

        long denyAt = System.nanoTime();
        intentions.deny(CLIENT, SERVICE);
        CallLoad.Outcome denied = await().atMost(FLIP.multipliedBy(3)).pollInterval(Duration.ofMillis(10))
                .until(() -> load.first(Status.Code.PERMISSION_DENIED, denyAt).orElse(null), o -> o != null);
        long deniedMs = CallLoad.millisSince(denyAt, denied);
        // a few more denied calls, so the count below is of many and the handler is known not to see them
        await().atMost(READY).until(() -> load.count(Status.Code.PERMISSION_DENIED) >= 10);
        int handledWhileDenied = handler.count();

        long allowAt = System.nanoTime();
        intentions.allow(CLIENT, SERVICE);
        CallLoad.Outcome allowed = await().atMost(FLIP.multipliedBy(3)).pollInterval(Duration.ofMillis(10))
                .until(() -> load.first(Status.Code.OK, allowAt).orElse(null), o -> o != null);
        long allowedMs = CallLoad.millisSince(allowAt, allowed);
        load.close(); // every call it made has finished now
        System.out.printf("intention flip: PERMISSION_DENIED %d ms after deny, OK %d ms after allow; calls %s%n",
                deniedMs, allowedMs, load.byCode());

        assertThat(deniedMs).as("deny → PERMISSION_DENIED").isLessThanOrEqualTo(FLIP.toMillis());
        assertThat(allowedMs).as("allow → OK").isLessThanOrEqualTo(FLIP.toMillis());
        assertThat(denied.description()).contains(CLIENT + " may not call " + SERVICE);
        assertThat(load.failures()).as("no call failed any other way (never UNAVAILABLE): %s", load.failures())
                .allMatch(o -> o.code() == Status.Code.PERMISSION_DENIED);
        long deniedCalls = load.count(Status.Code.PERMISSION_DENIED);
        assertThat(ConnectMesh.metric(server, DENIED_SERIES) - deniedBefore)
                .as(ConnectMesh.metricLines(server, "grpc_server_denied")).isEqualTo((double) deniedCalls);
        assertThat(handler.count()).as("calls past authorization").isEqualTo(load.count(Status.Code.OK));
        assertThat(handledWhileDenied).isPositive();
    }
}
