package io.meshplay.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshplay.testing.consul.ConsulAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A child that cannot bind its port is started again on a fresh one. The fault is real: the test binds
 * the leased port itself before the child starts, as a process outside the tests might.
 */
class PortRetryTest {

    /** What the tests bound to take ports away from children; closed after each test. */
    private final List<AutoCloseable> taken = new ArrayList<>();

    @AfterEach
    void releaseTakenPorts() throws Exception {
        for (AutoCloseable socket : taken) {
            socket.close();
        }
    }

    @Test
    void aChildThatCannotBindIsStartedAgainOnAFreshPort() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        List<Integer> tried = new ArrayList<>();
        int[] blocked = new int[1];
        try (Child child = interfering(ports -> {
            if (attempts.get() == 0) {
                blocked[0] = ports.port();
                takeTcp(ports.port());
            }
        }, () -> PortRetry.start("bind child", 1, (ports, output) -> {
            attempts.incrementAndGet();
            tried.add(ports.port());
            return Child.start(ports, output);
        }))) {
            assertThat(attempts).hasValue(2);
            assertThat(child.port()).isNotEqualTo(blocked[0]);
            assertThat(Ports.listening(child.port())).as("the second child listens").isTrue();
            assertThat(Files.readString(Child.logOf(blocked[0]))).as("the first child's words").contains("BindException");
            assertThat(Ports.heldHere(blocked[0])).as("the failed port is released after the start").isFalse();
        }
        assertThat(tried).hasSize(2);
        assertThat(Ports.heldHere(tried.get(1))).as("closing the child releases its port").isFalse();
    }

    @Test
    void givesUpAfterThreeFailedBinds() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> interfering(ports -> takeTcp(ports.port()),
                () -> PortRetry.start("bind child", 1, (ports, output) -> {
                    attempts.incrementAndGet();
                    return Child.start(ports, output);
                })))
                .hasMessageContaining("bind child could not bind port")
                .hasMessageContaining("in " + PortRetry.ATTEMPTS + " attempts");
        assertThat(attempts).hasValue(PortRetry.ATTEMPTS);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        int[] port = new int[1];
        assertThatThrownBy(() -> PortRetry.start("broken child", 2, (ports, output) -> {
            attempts.incrementAndGet();
            port[0] = ports.port();
            throw new IllegalStateException("config error");
        })).hasMessage("config error");
        assertThat(attempts).hasValue(1);
        assertThat(Ports.heldHere(port[0])).as("the lease of a failed start is released").isFalse();
    }

    /** The failure measured in `make test`: a Consul agent whose serf LAN port (TCP and UDP) was taken. */
    @Test
    void aConsulAgentWhoseSerfPortIsTakenStartsOnFreshPorts() throws Exception {
        int[] first = new int[1];
        try (ConsulAgent consul = interfering(ports -> {
            if (first[0] == 0) {
                first[0] = ports.port(0);
                takeTcp(ports.port(2));
                takeUdp(ports.port(2));
            }
        }, ConsulAgent::start)) {
            assertThat(consul.httpPort()).as("started again on fresh ports").isNotEqualTo(first[0]);
            assertThat(consul.get("/v1/status/leader")).contains(":");
        }
    }

    private <T> T interfering(java.util.function.Consumer<PortLease> interfere, java.util.function.Supplier<T> start) {
        Object[] result = new Object[1];
        PortRetry.interfering(interfere, () -> result[0] = start.get());
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    private void takeTcp(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            taken.add(socket);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void takeUdp(int port) {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            taken.add(socket);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A {@link TestChild} listening on a leased port: what PortRetry starts here. */
    private record Child(Process process, PortLease lease) implements AutoCloseable {

        static Path logOf(int port) {
            return Path.of("target", "port-retry-test", "child-" + port + ".log").toAbsolutePath();
        }

        static Child start(PortLease ports, PortRetry.Output output) throws IOException {
            Path log = output.watch(logOf(ports.port()));
            Process p = Processes.start(PortsTest.javaChild("bind", Integer.toString(ports.port())),
                    Path.of("").toAbsolutePath(), log, Map.of());
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("child exited with " + p.exitValue() + "; see " + log);
                    }
                    return Files.readString(log).contains("listening on " + ports.port());
                });
                return new Child(p, ports);
            } catch (RuntimeException e) {
                Processes.stop(p, Duration.ofSeconds(5));
                throw e;
            }
        }

        int port() {
            return lease.port();
        }

        @Override
        public void close() {
            try {
                Processes.stop(process, Duration.ofSeconds(5));
            } finally {
                lease.close();
            }
        }
    }
}
