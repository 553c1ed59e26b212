package io.meshplay.testing;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loopback ports reserved for one user (a child process, a test) by {@link Ports#lease(int)}: no other
 * test JVM on this machine gets them until {@link #close()} or until this JVM exits. Keep the lease open
 * for as long as something may bind the ports, including across restarts of the same child.
 */
public final class PortLease implements AutoCloseable {

    private final int[] ports;
    private final AtomicBoolean closed = new AtomicBoolean();

    PortLease(int[] ports) {
        this.ports = ports.clone();
    }

    /** The first (for a one-port lease, the only) port. */
    public int port() {
        return ports[0];
    }

    public int port(int index) {
        return ports[index];
    }

    public int[] ports() {
        return ports.clone();
    }

    public int size() {
        return ports.length;
    }

    /** Whether this lease holds {@code port}. */
    public boolean holds(int port) {
        return Arrays.stream(ports).anyMatch(p -> p == port);
    }

    /** Releases the ports; they may be handed out again at once. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Ports.release(ports);
        }
    }

    @Override
    public String toString() {
        return (ports.length == 1 ? "port " : "ports ") + Arrays.toString(ports).replaceAll("[\\[\\]]", "");
    }
}
