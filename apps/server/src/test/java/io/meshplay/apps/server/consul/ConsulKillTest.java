package io.meshplay.apps.server.consul;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.helidon.config.Config;
import io.meshplay.example.service.ExampleService;
import io.meshplay.client.MeshplayClient;
import io.meshplay.client.ServedBy;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.meshplay.apps.server.consul.ConsulMesh.CHECK_INTERVAL;
import static io.meshplay.apps.server.consul.ConsulMesh.SERVICE;
import static io.meshplay.apps.server.consul.ConsulMesh.call;
import static io.meshplay.apps.server.consul.ConsulMesh.health;
import static io.meshplay.apps.server.consul.ConsulMesh.millis;
import static io.meshplay.apps.server.consul.ConsulMesh.passingIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crashed server: a server JVM killed with SIGKILL while a client keeps calling. Consul's check goes
 * critical, the client drops the instance within a check interval and a second, and the calls caught
 * by the crash are retried on the surviving instance.
 */
@ExtendWith(ConsulExtension.class)
class ConsulKillTest {

    private static final int LOOPS = 4;
    private static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
            Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T closeLater(T c) {
        return closer.add(c);
    }

    private record Served(long atNanos, String by) {
    }

    @Test
    void killedServerIsDroppedAndCallsDuringTheKillSucceed(ConsulAgent consul) throws Exception {
        Map<String, String> mesh = ConsulMesh.config(consul);
        // the child JVM starts while this one starts its own server
        ServerJvm child = closeLater(ServerJvm.start(Map.of(
                "service.name", SERVICE,
                "registry.type", "consul",
                "registry.consul.address", consul.httpAddress(),
                "registry.consul.check.interval", "1s",
                "registry.consul.check.timeout", "1s",
                // this times the drop after one failed check, as Consul does by default
                "registry.consul.check.failures-before-critical", "1",
                "server.port", "0",
                "broker.type", "memory")));
        Config config = MeshplayConfig.of(mesh);
        // the survivor counts attempts that grpc-java retried (they carry grpc-previous-rpc-attempts)
        AtomicInteger retried = new AtomicInteger();
        ServerInterceptor retries = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                if (headers.containsKey(PREVIOUS_ATTEMPTS)) {
                    retried.incrementAndGet();
                }
                return next.startCall(call, headers);
            }
        };
        ServerServiceDefinition example = ServerInterceptors.intercept(new ExampleService(), retries);
        MeshplayServer survivor = closeLater(MeshplayServer.builder().config(config).addService(() -> example).start());
        String survivorId = survivor.instance().id();
        String childId = child.awaitInstanceId(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Set.copyOf(passingIds(consul, SERVICE)), ids -> ids.equals(Set.of(survivorId, childId)));

        Queue<Served> served = new ConcurrentLinkedQueue<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        // calls whose response headers had already come from the instance when it died: the server had
        // answered, so grpc-java must not retry them (that could run the call twice); the rest must be retried
        List<String> committed = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> loops = new ArrayList<>();
        try (MeshplayClient client = MeshplayClient.create(config)) {
            ManagedChannel channel = client.channel(SERVICE);
            for (int i = 0; i < LOOPS; i++) {
                int loop = i;
                loops.add(Thread.ofPlatform().name("calls-" + i).start(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        ServedBy by = new ServedBy();
                        try {
                            served.add(new Served(System.nanoTime(), call(ClientInterceptors.intercept(channel, by.interceptor()),
                                    "kill-" + loop + "-" + n)));
                        } catch (StatusRuntimeException e) {
                            (by.instance().equals("?") ? failures : committed).add(by.instance() + ": " + e.getStatus());
                        }
                        // pacing: leaves CPU for Consul's checks and the other JVM on a small machine
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                    }
                }));
            }
            // both instances take calls before the crash
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> count(served, childId, Long.MIN_VALUE) >= 50 && count(served, survivorId, Long.MIN_VALUE) >= 50);

            int before = served.size();
            long killAt = System.nanoTime();
            child.kill();
            long gone = System.nanoTime();
            // the client's view (Consul's blocking query) loses the instance once Consul's check of it fails
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> client.registry().instances(SERVICE).stream().map(ServiceInstance::id).toList(),
                            ids -> !ids.contains(childId));
            long droppedAt = System.nanoTime();
            // keep calling well past interval + 1 s after the kill, so "no call served by it" covers that window
            long windowEnd = killAt + CHECK_INTERVAL.plusSeconds(1).toNanos();
            await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() > windowEnd + 500_000_000L
                    && count(served, survivorId, windowEnd) >= 100);
            stop.set(true);
            for (Thread t : loops) {
                t.join(10_000);
            }
            // no call is in flight now; skip grpc-java's 5 s delayed shutdown of the dead instance's subchannel
            channel.shutdownNow();

            long lastByChild = served.stream().filter(s -> s.by().equals(childId)).mapToLong(Served::atNanos).max().orElseThrow();
            int afterKill = served.size() - before;
            ConsulMesh.Entry crashed = health(consul, SERVICE).get(childId);
            System.out.printf("kill -9 of %s (pid %d): SIGKILL took %.1f ms; client dropped it %.1f ms after the kill; "
                            + "last call it served completed %.1f ms after the kill; %d calls after the kill (%d served by it); "
                            + "%d retried onto the survivor; %d of %d calls failed before the server answered, "
                            + "%d after it had (not retryable); Consul: %s%n",
                    childId, child.pid(), millis(gone - killAt), millis(droppedAt - killAt), millis(lastByChild - killAt),
                    afterKill, count(served, childId, killAt), retried.get(), failures.size(),
                    served.size() + failures.size() + committed.size(), committed.size(), crashed == null ? "gone" : crashed.checks());

            assertThat(failures).as("unary calls caught by the crash are retried on the other instance").isEmpty();
            assertThat(committed).as("only calls the dying instance had already answered may fail").hasSizeLessThanOrEqualTo(LOOPS)
                    .allSatisfy(c -> assertThat(c).startsWith(childId));
            assertThat(Duration.ofNanos(droppedAt - killAt)).as("dropped within check interval + 1 s")
                    .isLessThanOrEqualTo(CHECK_INTERVAL.plusSeconds(1));
            assertThat(lastByChild).as("no call served by the killed instance after interval + 1 s").isLessThan(windowEnd);
            assertThat(count(served, survivorId, windowEnd)).isGreaterThanOrEqualTo(100);
            // it goes critical in Consul (deregister-after removes it later, a minute at the least)
            assertThat(crashed).as("still registered, critical").isNotNull();
            assertThat(crashed.passing()).isFalse();
            assertThat(crashed.checks()).allSatisfy(c -> assertThat(c.status()).isEqualTo("critical"));
        } finally {
            stop.set(true);
            for (Thread t : loops) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    private static long count(Queue<Served> served, String by, long afterNanos) {
        return served.stream().filter(s -> s.by().equals(by) && s.atNanos() > afterNanos).count();
    }
}
