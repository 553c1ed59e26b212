package io.meshplay.apps.server.security;

import static io.meshplay.apps.server.security.ConnectMesh.CLIENT;
import static io.meshplay.apps.server.security.ConnectMesh.READY;
import static io.meshplay.apps.server.security.ConnectMesh.SERVICE;
import static io.meshplay.apps.server.security.ConnectMesh.call;
import static io.meshplay.apps.server.security.ConnectMesh.signedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.helidon.config.Config;
import io.meshplay.client.ClientOptions;
import io.meshplay.client.MeshplayClient;
import io.meshplay.client.SecureChannels;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.Registries;
import io.meshplay.security.TransportSecurity;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import io.meshplay.testing.TestCertificates;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Connect CA root rotation ({@code PUT /v1/connect/ca/configuration} with a new key) while a client keeps
 * calling, on its pooled connection and on a new connection (a new handshake) every 250 ms, until Consul
 * has re-issued both leaves under the new root: no call fails, and new connections then present leaves
 * of the new root on both sides.
 */
@ExtendWith(ConsulExtension.class)
class RootRotationUnderLoadTest {

    /** Consul 1.8 re-issues leaves within its 30 s jitter window after a root change (measured ~26 s). */
    private static final Duration REISSUE = Duration.ofSeconds(60);

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void aRootRotationUnderLoadFailsNoCall(ConsulAgent consul, @TempDir Path dir) throws Exception {
        HandlerCalls handler = new HandlerCalls();
        MeshplayServer server = closer.add(ConnectMesh.start(ConnectMesh.server(consul, null, SERVICE), handler));
        await().atMost(READY).until(server::securityReady);
        await().atMost(READY).pollInterval(Duration.ofMillis(200))
                .until(() -> ConnectMesh.passing(consul, server.instance().id(), null));
        Config clientConfig = MeshplayConfig.of(ConnectMesh.client(consul, null));
        TransportSecurity security = closer.add(SecureChannels.open(clientConfig, CLIENT).orElseThrow());
        MeshplayClient client = closer.add(MeshplayClient.create(
                closer.add(Registries.create(clientConfig.get("registry"))), ClientOptions.defaults(), Optional.of(security)));
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> call(client.channel(SERVICE), "warm-up"), "Hello warm-up"::equals);
        X509Certificate oldRoot = ConnectMesh.activeRoot(consul);
        X509Certificate oldServerLeaf = fresh(server, security).get();
        assertThat(signedBy(oldServerLeaf, oldRoot)).isTrue();

        List<X509Certificate> presented = new CopyOnWriteArrayList<>();
        CallLoad pooled = closer.add(CallLoad.start("pooled", i -> call(client.channel(SERVICE), "pooled-" + i),
                Duration.ofMillis(5), REISSUE.plusSeconds(30), 100_000));
        CallLoad handshakes = closer.add(CallLoad.start("handshakes", i -> presented.add(fresh(server, security).get()),
                Duration.ofMillis(250), REISSUE.plusSeconds(30), 1_000));

        long rotated = System.nanoTime();
        HttpResponse<String> put = ConnectMesh.consul(consul, "PUT", "/v1/connect/ca/configuration", newCaConfig(dir), null);
        assertThat(put.statusCode()).as("PUT /v1/connect/ca/configuration: %s", put.body()).isEqualTo(200);
        X509Certificate newRoot = await().atMost(Duration.ofSeconds(10)).until(() -> ConnectMesh.activeRoot(consul), r -> !r.equals(oldRoot));

        // both leaves re-issued under the new root, as new connections show them: the server's to the client, the client's to the server
        await().atMost(REISSUE).pollInterval(Duration.ofMillis(250)).until(() -> !presented.isEmpty()
                && signedBy(presented.getLast(), newRoot)
                && handler.clientLeaves().stream().anyMatch(leaf -> signedBy(leaf, newRoot)));
        long reissuedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rotated);
        // a few more calls of each kind on the new leaves, then stop
        long pooledAt = pooled.total();
        long handshakesAt = handshakes.total();
        await().atMost(READY).until(() -> pooled.total() >= pooledAt + 20 && handshakes.total() >= handshakesAt + 2);
        pooled.close();
        handshakes.close();

        System.out.printf("root rotation: both leaves re-issued %d ms after the PUT; pooled calls %s, new-connection calls %s; "
                        + "server leaf issuer %s -> %s%n", reissuedMs, pooled.byCode(), handshakes.byCode(),
                oldServerLeaf.getIssuerX500Principal().getName(), presented.getLast().getIssuerX500Principal().getName());
        assertThat(pooled.failures()).as("failed calls on the pooled connection").isEmpty();
        assertThat(handshakes.failures()).as("failed calls on new connections").isEmpty();
        assertThat(pooled.total()).isGreaterThan(100);
        assertThat(handshakes.total()).isGreaterThan(5);
        X509Certificate newServerLeaf = fresh(server, security).get();
        assertThat(signedBy(newServerLeaf, newRoot)).isTrue();
        assertThat(signedBy(newServerLeaf, oldRoot)).isFalse();
        assertThat(newServerLeaf.getIssuerX500Principal()).isNotEqualTo(oldServerLeaf.getIssuerX500Principal());
    }

    /** One call on a new channel (a new TLS handshake); the certificate the server presented. */
    private static java.util.function.Supplier<X509Certificate> fresh(MeshplayServer server, TransportSecurity security) {
        return () -> {
            ManagedChannel channel = SecureChannels.configure(NettyChannelBuilder.forAddress("127.0.0.1", server.port()),
                    Optional.of(security), SERVICE).build();
            try {
                return ConnectMesh.presented(channel);
            } finally {
                channel.shutdownNow();
                try {
                    channel.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** The built-in CA's configuration with a new private key (SEC1 PEM, the form Consul 1.8 accepts). */
    private static String newCaConfig(Path dir) throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        String key = Files.readString(certs.sec1Key(certs.ca("new-connect-root")));
        assertThat(key).startsWith("-----BEGIN EC PRIVATE KEY-----");
        JsonObject config = new JsonObject();
        config.addProperty("PrivateKey", key);
        config.addProperty("LeafCertTTL", "72h");
        config.addProperty("RotationPeriod", "2160h");
        config.addProperty("IntermediateCertTTL", "8760h");
        JsonObject body = new JsonObject();
        body.addProperty("Provider", "consul");
        body.add("Config", config);
        return body.toString();
    }
}
