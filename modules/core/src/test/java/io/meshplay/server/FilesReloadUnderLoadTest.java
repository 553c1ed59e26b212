package io.meshplay.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ManagedChannel;
import io.meshplay.client.MeshplayClient;
import io.meshplay.testing.TestCertificates;
import io.meshplay.security.TransportSecurity;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.meshplay.server.TlsFixture.DEADLINE;
import static io.meshplay.server.TlsFixture.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Certificates replaced on disk while clients call without pause: no call fails, calls on open connections
 * go on, and new connections get the new certificate. Also the pooled meshplay:/// channel under TLS.
 */
class FilesReloadUnderLoadTest {

    @RegisterExtension
    final Closer closer = new Closer();
    @TempDir
    Path dir;

    @Test
    void replacedCertificatesAreServedWithoutAFailedCall() throws Exception {
        TlsFixture tls = new TlsFixture(dir, closer);
        TestCertificates.Pair renewed = tls.certs.leaf(tls.ca, "example-renewed");
        TestCertificates.Pair live = new TestCertificates.Pair(dir.resolve("live.pem"), dir.resolve("live.key"));
        TestCertificates.replace(live, tls.example);
        MeshplayServer server = tls.server("tls.mode", "files", "tls.files.cert", live.cert().toString(), "tls.files.key",
                live.key().toString(), "tls.files.ca", tls.ca.cert().toString(), "tls.files.refresh", "200ms");
        Optional<TransportSecurity> client = tls.trustingClient(tls.client);
        ManagedChannel pooled = tls.channel(server, client);
        assertThat(TlsFixture.presented(pooled)).isEqualTo("CN=example");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        // one caller on the open connection, one opening a new connection per call (a handshake each time)
        Thread onOpen = Thread.ofVirtual().start(() -> load(stop, calls, failures, () -> hello(pooled)));
        Thread fresh = Thread.ofVirtual().start(() -> load(stop, calls, failures, () -> {
            ManagedChannel channel = tls.channel(server, client);
            try {
                hello(channel);
            } finally {
                channel.shutdownNow();
            }
        }));
        try {
            long start = System.nanoTime();
            await().atMost(DEADLINE).until(() -> calls.get() >= 50);
            TestCertificates.replace(live, renewed);
            await().atMost(DEADLINE).until(() -> TlsFixture.presented(tls.channel(server, client)).equals("CN=example-renewed"));
            int atSwap = calls.get();
            // keep the load on for a few seconds in all, and some calls after the new certificate is served
            await().atMost(DEADLINE).until(() -> System.nanoTime() - start >= Duration.ofSeconds(3).toNanos() && calls.get() >= atSwap + 50);
        } finally {
            stop.set(true);
            onOpen.join(DEADLINE);
            fresh.join(DEADLINE);
        }
        assertThat(failures).as("failed calls out of %d", calls.get()).isEmpty();
        assertThat(calls.get()).isGreaterThan(100);
        assertThat(TlsFixture.presented(pooled)).as("the open connection is not disturbed").isEqualTo("CN=example");
        System.out.println("reload under load: " + calls.get() + " calls, " + failures.size() + " failed");
    }

    @Test
    void theMeshplayClientCallsByServiceNameOverMutualTls() {
        TlsFixture tls = new TlsFixture(dir, closer);
        String space = "tls-client-" + java.util.UUID.randomUUID();
        List<String> common = List.of("registry.type", "memory", "registry.memory.name", space, "tls.mode", "files",
                "tls.files.ca", tls.ca.cert().toString());
        List<String> serverKeys = new java.util.ArrayList<>(common);
        serverKeys.addAll(List.of("service.name", "example", "tls.files.cert", tls.example.cert().toString(),
                "tls.files.key", tls.example.key().toString(), "tls.files.server-name", "ignored-by-servers"));
        MeshplayServer server = closer.add(MeshplayServer.builder().config(TlsFixture.config(serverKeys.toArray(String[]::new)))
                .addService(new TlsFixture.Hello()).start());
        List<String> clientKeys = new java.util.ArrayList<>(common);
        clientKeys.addAll(List.of("tls.files.cert", tls.client.cert().toString(), "tls.files.key", tls.client.key().toString(),
                "tls.files.server-name", "{service}"));
        MeshplayClient client = closer.add(MeshplayClient.create(TlsFixture.config(clientKeys.toArray(String[]::new)), "client"));
        assertThat(server.securityReady()).isTrue();
        assertThat(TlsFixture.presented(client.channel("example"))).isEqualTo("CN=example");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void load(AtomicBoolean stop, AtomicInteger calls, List<Throwable> failures, Call call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!stop.get() && System.nanoTime() < deadline) {
            try {
                call.run();
                calls.incrementAndGet();
            } catch (Throwable t) {
                failures.add(t);
            }
        }
    }
}
