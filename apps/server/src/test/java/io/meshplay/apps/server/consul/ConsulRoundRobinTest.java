package io.meshplay.apps.server.consul;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.helidon.config.Config;
import io.meshplay.apps.server.ServerMain;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.meshplay.apps.server.consul.ConsulMesh.SERVICE;
import static io.meshplay.apps.server.consul.ConsulMesh.call;
import static io.meshplay.apps.server.consul.ConsulMesh.millis;
import static io.meshplay.apps.server.consul.ConsulMesh.passingIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Name-resolved clients over a real Consul: calls spread over instances, and a new instance joins fast. */
@ExtendWith(ConsulExtension.class)
class ConsulRoundRobinTest {

    private static final int CALLS = 100;

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T closeLater(T c) {
        return closer.add(c);
    }

    @Test
    void twoInstancesShareHundredCallsRoundRobin(ConsulAgent consul) {
        Config config = MeshplayConfig.of(ConsulMesh.config(consul));
        MeshplayServer a = closeLater(ServerMain.start(config));
        MeshplayServer b = closeLater(ServerMain.start(config));
        Set<String> ids = Set.of(a.instance().id(), b.instance().id());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Set.copyOf(passingIds(consul, SERVICE)), ids::equals);
        MeshplayClient client = closeLater(MeshplayClient.create(config));
        // the client's cache, fed by Consul's blocking query, holds both before the first call
        await().atMost(Duration.ofSeconds(5)).until(() -> client.registry().instances(SERVICE).stream()
                .map(ServiceInstance::id).collect(Collectors.toSet()), ids::equals);

        Channel channel = client.channel(SERVICE);
        // round_robin picks only READY connections: count once both are, not while the second still connects
        Set<String> warm = new HashSet<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            warm.add(call(channel, "warm-up"));
            return warm.equals(ids);
        });
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < CALLS; i++) {
            served.merge(call(channel, "rr" + i), 1, Integer::sum);
        }
        System.out.println("round robin over Consul, " + CALLS + " calls: " + served);
        assertThat(served.keySet()).isEqualTo(ids);
        assertThat(served.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(40));
    }

    @Test
    void newInstanceIsSelectedWithinOneSecondOfItsCheckPassing(ConsulAgent consul) throws Exception {
        Config config = MeshplayConfig.of(ConsulMesh.config(consul));
        MeshplayServer a = closeLater(ServerMain.start(config));
        String aId = a.instance().id();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> passingIds(consul, SERVICE), ids -> ids.equals(List.of(aId)));
        // closed before the servers: a client that saw an instance leave waits 5 s in close() (grpc-java's
        // delayed subchannel shutdown), which is not what this test measures
        try (MeshplayClient client = MeshplayClient.create(config)) {
            Channel channel = client.channel(SERVICE);
            assertThat(call(channel, "first")).isEqualTo(aId);
            selectedSoonAfterPassing(consul, config, channel);
        }
    }

    private void selectedSoonAfterPassing(ConsulAgent consul, Config config, Channel channel) throws InterruptedException {
        // calls in a loop; each instance's first call is stamped when its response arrives
        Map<String, Long> firstServed = new ConcurrentHashMap<>();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread loop = Thread.ofPlatform().name("calls-loop").start(() -> {
            while (!stop.get()) {
                try {
                    String by = call(channel, "loop");
                    firstServed.putIfAbsent(by, System.nanoTime());
                    calls.incrementAndGet();
                } catch (StatusRuntimeException e) {
                    failures.incrementAndGet();
                }
                // pacing, ~500 calls/s: leaves CPU for Consul's checks on a small machine
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        });
        try {
            MeshplayServer b = closeLater(ServerMain.start(config));
            String bId = b.instance().id();
            // Consul's first check of b runs up to one interval after registration. The check passed after the
            // last request whose answer still said "not passing" was sent: measuring from there errs on the slow side.
            AtomicLong notPassingYet = new AtomicLong(System.nanoTime());
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
                long asked = System.nanoTime();
                boolean passing = passingIds(consul, SERVICE).contains(bId);
                if (!passing) {
                    notPassingYet.set(asked);
                }
                return passing;
            });
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> firstServed.containsKey(bId));
            long selectedAfter = firstServed.get(bId) - notPassingYet.get();
            System.out.printf("new instance: first call served %.1f ms after Consul's check of it passed at the latest "
                    + "(%d calls, %d failures)%n", millis(selectedAfter), calls.get(), failures.get());
            assertThat(selectedAfter).as("not selected before Consul passed its check").isPositive();
            assertThat(Duration.ofNanos(selectedAfter)).isLessThan(Duration.ofSeconds(1));
            assertThat(failures.get()).isZero();
        } finally {
            stop.set(true);
            loop.join(10_000);
        }
    }

    @Test
    void clientClosesPromptlyAfterAnInstanceLeft(ConsulAgent consul) {
        Config config = MeshplayConfig.of(ConsulMesh.config(consul));
        MeshplayServer a = closeLater(ServerMain.start(config));
        MeshplayServer b = closeLater(ServerMain.start(config));
        Set<String> ids = Set.of(a.instance().id(), b.instance().id());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Set.copyOf(passingIds(consul, SERVICE)), ids::equals);
        MeshplayClient client = closeLater(MeshplayClient.create(config));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.registry().instances(SERVICE).size() == 2);
        // round_robin only picks connections that are READY: until the second one is, calls go to the first
        Set<String> served = new HashSet<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            served.add(call(client.channel(SERVICE), "both"));
            return served.equals(ids);
        });
        b.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.registry().instances(SERVICE).size() == 1);
        assertThat(call(client.channel(SERVICE), "one")).isEqualTo(a.instance().id());

        long start = System.nanoTime();
        client.close();
        long took = System.nanoTime() - start;
        System.out.printf("client close after an instance left: %.1f ms%n", millis(took));
        // well under grpc-java's 5 s grace for departed instances, which close() used to wait out
        assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(3));
    }
}
