package io.meshplay.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The allocator: reserved across threads and JVMs, outside the ephemeral range, bindable, reusable. */
class PortsTest {

    @Test
    void portsLieInTheBandOutsideTheEphemeralRange() {
        int[] ephemeral = PortBand.ephemeralRange();
        try (PortLease lease = Ports.lease(20)) {
            assertThat(lease.ports()).doesNotHaveDuplicates();
            assertThat(Arrays.stream(lease.ports()).boxed().toList()).allSatisfy(port -> {
                assertThat(Ports.band().contains(port)).as("%d in %s", port, Ports.band()).isTrue();
                if (ephemeral != null) {
                    assertThat(port < ephemeral[0] || port > ephemeral[1]).as("%d outside the ephemeral range", port).isTrue();
                }
                assertThat(port).isNotIn(8300, 8301, 8302, 8500, 8600, 9090, 10000, 10001, 10002);
            });
        }
        if (ephemeral != null) {
            assertThat(Ports.band().last() < ephemeral[0] || Ports.band().first() > ephemeral[1])
                    .as("band %s vs ephemeral %d-%d", Ports.band(), ephemeral[0], ephemeral[1]).isTrue();
        }
    }

    @Test
    void theBandMovesOutOfAnEphemeralRangeThatCoversIt() {
        assertThat(PortBand.outside(32768, 60999)).isEqualTo(PortBand.PREFERRED);
        assertThat(PortBand.outside(15000, 40000)).isEqualTo(new PortBand(40001, 50000));
        assertThat(PortBand.outside(25000, 65535)).isEqualTo(new PortBand(15000, 24999));
        // no room anywhere: the preferred band, where bind checks and restarts still protect
        assertThat(PortBand.outside(1024, 65535)).isEqualTo(PortBand.PREFERRED);
    }

    @Test
    void threadsNeverGetTheSamePort() throws Exception {
        int threads = 8;
        int leasesEach = 25;
        ConcurrentLinkedQueue<PortLease> leases = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < leasesEach; i++) {
                        leases.add(Ports.lease(1 + i % 3));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            List<Integer> all = leases.stream().flatMap(l -> Arrays.stream(l.ports()).boxed()).toList();
            assertThat(all).hasSize(threads * (leasesEach / 3 * 6 + 1)).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
            leases.forEach(PortLease::close);
        }
    }

    @Test
    void anotherJvmNeverGetsAPortThisOneHoldsAndGetsItsOwnBackAtExit() throws Exception {
        try (PortLease mine = Ports.lease(50)) {
            Process child = new ProcessBuilder(javaChild("lease", "50")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).get(30, TimeUnit.SECONDS);
                assertThat(line).as("the child's answer").startsWith("leased ");
                int[] theirs = Arrays.stream(line.substring("leased ".length()).split(",")).mapToInt(Integer::parseInt).toArray();
                Set<Integer> both = new HashSet<>();
                Arrays.stream(mine.ports()).forEach(both::add);
                Arrays.stream(theirs).forEach(both::add);
                assertThat(both).as("mine %s, the child's %s", Arrays.toString(mine.ports()), line).hasSize(100);
                // the child holds its ports: this JVM cannot reserve them, though nothing listens on them
                for (int port : theirs) {
                    assertThat(Ports.tryLease(port)).as("port %d held by the child", port).isEmpty();
                }
                child.getOutputStream().close();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exits when stdin closes").isTrue();
                // the OS dropped the child's locks as it exited: its ports are free again
                try (PortLease again = Ports.tryLease(theirs[0]).orElseThrow()) {
                    assertThat(again.port()).isEqualTo(theirs[0]);
                }
            } finally {
                Processes.stop(child, Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void releasedPortsAreReusable() {
        PortLease lease = Ports.lease();
        int port = lease.port();
        assertThat(Ports.tryLease(port)).as("held").isEmpty();
        lease.close();
        lease.close();
        assertThat(Ports.heldHere(port)).isFalse();
        try (PortLease again = Ports.tryLease(port).orElseThrow()) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    @Test
    void aPortSomeoneListensOnIsNotHandedOut() throws Exception {
        PortLease lease = Ports.lease();
        int port = lease.port();
        try (ServerSocket foreign = new ServerSocket()) {
            // bound while still leased, so no other test JVM can take the port first
            foreign.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            lease.close();
            assertThat(Ports.tryLease(port)).isEmpty();
            assertThat(Ports.listening(port)).isTrue();
        }
        try (PortLease again = Ports.tryLease(port).orElseThrow()) {
            assertThat(Ports.listening(again.port())).isFalse();
        }
    }

    @Test
    void freeStillHandsOutDistinctReservedPorts() {
        int[] ports = Ports.free(4);
        int single = Ports.free();
        assertThat(ports).doesNotHaveDuplicates().doesNotContain(single);
        for (int port : ports) {
            assertThat(Ports.band().contains(port)).isTrue();
            assertThat(Ports.heldHere(port)).as("held until the JVM exits").isTrue();
        }
    }

    static List<String> javaChild(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TestChild.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
