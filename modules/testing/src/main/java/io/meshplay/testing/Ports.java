package io.meshplay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for processes the tests start. Engineers run tests in parallel on one machine,
 * so no test may use a fixed, well-known port.
 */
public final class Ports {

    private Ports() {
    }

    /** A TCP port that was free on 127.0.0.1 a moment ago. */
    public static int free() {
        return free(1)[0];
    }

    /**
     * {@code count} distinct ports that were free on 127.0.0.1 a moment ago. All sockets are held open
     * until every port is chosen, so the same port is never handed out twice in one call.
     */
    public static int[] free(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        Set<Integer> seen = new HashSet<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                // without reuse, a port just released by a test may sit in TIME_WAIT and fail the next bind
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                sockets[i] = socket;
                ports[i] = socket.getLocalPort();
                if (!seen.add(ports[i])) {
                    throw new IllegalStateException("the OS returned port " + ports[i] + " twice");
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing a listening socket we own does not fail in practice
                    }
                }
            }
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean listening(int port) {
        try (var socket = new java.net.Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
