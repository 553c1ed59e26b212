package io.meshplay.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A loopback TCP proxy in front of Azurite that counts the HTTP requests whose request line matches,
 * with the time of each. The broker offers no hook into its HTTP pipeline and has no per-request
 * metric (its counters count messages, which an idle queue has none of), so the bench puts this
 * between the broker and Azurite to count receive requests ({@code GET /<account>/<queue>/messages}).
 * Plain HTTP/1.1 only, which is what the broker speaks to Azurite.
 */
final class CountingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Predicate<String> counted;
    private final List<Long> hits = new CopyOnWriteArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private CountingProxy(ServerSocket server, int targetPort, Predicate<String> counted) {
        this.server = server;
        this.targetPort = targetPort;
        this.counted = counted;
    }

    /** @param counted decides on a request line such as {@code GET /devstoreaccount1/q/messages?numofmessages=16 HTTP/1.1} */
    static CountingProxy start(int targetPort, Predicate<String> counted) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CountingProxy proxy = new CountingProxy(server, targetPort, counted);
            Thread.ofPlatform().daemon().name("bench-proxy-accept").start(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the counting proxy", e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Times (System.nanoTime) of the counted requests so far. */
    List<Long> hits() {
        return List.copyOf(hits);
    }

    long countBetween(long fromNanos, long toNanos) {
        return hits.stream().filter(t -> t >= fromNanos && t <= toNanos).count();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                if (!closed) {
                    System.getLogger(CountingProxy.class.getName()).log(System.Logger.Level.WARNING,
                            "counting proxy: " + Errors.describe(e));
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean scan) {
        StringBuilder line = new StringBuilder();
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (scan) {
                    scan(buffer, n, line);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // either side closed: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Request lines are the lines that start with a method; bodies here are XML and never start a line with "GET ". */
    private void scan(byte[] buffer, int n, StringBuilder line) {
        for (int i = 0; i < n; i++) {
            char c = (char) (buffer[i] & 0xff);
            if (c == '\n') {
                if (line.length() > 4 && line.charAt(0) == 'G' && line.toString().startsWith("GET ") && counted.test(line.toString())) {
                    hits.add(System.nanoTime());
                }
                line.setLength(0);
            } else if (line.length() < 2048) {
                line.append(c);
            }
        }
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing our own listening socket
        }
        sockets.forEach(this::closeQuietly);
    }
}
