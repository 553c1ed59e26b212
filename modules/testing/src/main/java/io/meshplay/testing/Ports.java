package io.meshplay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The one place tests get loopback ports for processes they start. Engineers run test JVMs in parallel
 * on one machine, so no test may use a fixed port, and a port found free by binding port 0 is no good
 * either: it lies in the kernel's ephemeral range, where any outgoing connection may take it before the
 * child binds it.
 *
 * <p>Ports come from a {@link PortBand} outside the ephemeral range and are reserved across JVMs: each
 * reservation is an exclusive lock on the byte at offset {@code port} of one shared file
 * ({@code java.io.tmpdir/meshplay-ports.lock}). The OS drops the locks when the JVM exits, however it
 * exits, so a crashed test leaks nothing. A port is handed out only if it is also bindable on
 * 127.0.0.1 (TCP and UDP) right now, since processes outside the tests may use the band.
 *
 * <p>Prefer {@link #lease(int)} and close the lease with the process; {@link #free()} reserves until the
 * JVM exits. Children that may still fail to bind (a foreign process took the port) are restarted on
 * fresh ports by {@link PortRetry}.
 */
public final class Ports {

    private static final System.Logger LOG = System.getLogger(Ports.class.getName());
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final PortBand BAND = PortBand.detect();
    /** More would be a leak or a bug: nothing the tests start needs that many. */
    private static final int MAX_PER_LEASE = 64;

    /** Locks this JVM holds, by port; a second lock on the same byte in one JVM would throw. */
    private static final Map<Integer, FileLock> HELD = new HashMap<>();
    private static FileChannel registry;
    private static Path registryFile;
    /** Next port to try: each JVM starts somewhere else in the band, so parallel JVMs rarely contend. */
    private static int cursor = BAND.first() + new SplittableRandom(
            System.nanoTime() ^ (ProcessHandle.current().pid() * 0x9E3779B97F4A7C15L)).nextInt(BAND.size());

    private Ports() {
    }

    /** A reserved port, held until this JVM exits. */
    public static int free() {
        return free(1)[0];
    }

    /** {@code count} distinct reserved ports, held until this JVM exits. */
    public static int[] free(int count) {
        return lease(count).ports();
    }

    /** One reserved port; close the lease when nothing will bind the port any more. */
    public static PortLease lease() {
        return lease(1);
    }

    /**
     * {@code count} distinct ports, reserved against every test JVM on this machine and bindable on
     * 127.0.0.1 at this moment.
     *
     * @throws IllegalStateException if the band has fewer than {@code count} ports left
     */
    public static synchronized PortLease lease(int count) {
        if (count < 1 || count > MAX_PER_LEASE) {
            throw new IllegalArgumentException("count must be 1.." + MAX_PER_LEASE + ", was " + count);
        }
        int[] got = new int[count];
        int n = 0;
        try {
            for (int tried = 0; n < count && tried < BAND.size(); tried++) {
                int port = cursor;
                cursor = port == BAND.last() ? BAND.first() : port + 1;
                if (claim(port)) {
                    got[n++] = port;
                }
            }
        } catch (RuntimeException e) {
            release(Arrays.copyOf(got, n));
            throw e;
        }
        if (n < count) {
            release(Arrays.copyOf(got, n));
            throw new IllegalStateException("only " + n + " of " + count + " ports free in " + BAND + " (" + HELD.size()
                    + " held by this JVM, the rest by other JVMs or other processes; reservations in " + registryFile + ")");
        }
        return new PortLease(got);
    }

    /** {@code port} itself, if no JVM holds it and it is bindable now; for tests of the allocator. */
    static synchronized Optional<PortLease> tryLease(int port) {
        return claim(port) ? Optional.of(new PortLease(new int[] {port})) : Optional.empty();
    }

    /** The band ports come from on this machine. */
    public static PortBand band() {
        return BAND;
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a process could bind {@code port} on 127.0.0.1 for TCP and for UDP (Consul's serf and DNS
     * ports are both). Without SO_REUSEADDR, so a port with connections in TIME_WAIT counts as taken:
     * stricter than any child needs.
     */
    static boolean bindable(int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(LOOPBACK, port), 1);
        } catch (IOException e) {
            return false;
        }
        try (DatagramSocket udp = new DatagramSocket(null)) {
            udp.setReuseAddress(false);
            udp.bind(new InetSocketAddress(LOOPBACK, port));
        } catch (IOException e) {
            return false;
        }
        return true;
    }

    static synchronized void release(int... ports) {
        for (int port : ports) {
            FileLock lock = HELD.remove(port);
            if (lock != null) {
                try {
                    lock.release();
                } catch (IOException e) {
                    // the channel stays open for the JVM's life, so this does not happen; the OS frees it at exit
                    LOG.log(System.Logger.Level.WARNING, "could not release port " + port + ": " + e);
                }
            }
        }
    }

    /** Holders are in this JVM; for tests of the allocator. */
    static synchronized boolean heldHere(int port) {
        return HELD.containsKey(port);
    }

    private static boolean claim(int port) {
        if (!BAND.usable(port) || HELD.containsKey(port)) {
            return false;
        }
        FileLock lock;
        try {
            lock = registry().tryLock(port, 1, false);
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock port " + port + " in " + registryFile, e);
        }
        if (lock == null) {
            return false;
        }
        if (!bindable(port)) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // see release(): does not happen while the channel is open
            }
            return false;
        }
        HELD.put(port, lock);
        return true;
    }

    /**
     * The shared reservation file, opened once and never closed: closing any descriptor of a file drops
     * every POSIX lock the process holds on it, so one channel per JVM holds them all.
     */
    private static FileChannel registry() throws IOException {
        if (registry == null) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Path shared = tmp.resolve("meshplay-ports.lock");
            try {
                registry = open(shared);
                registryFile = shared;
            } catch (AccessDeniedException e) {
                // another user created it without group/other write: coordinate with our own JVMs at least
                Path own = tmp.resolve("meshplay-ports-" + System.getProperty("user.name") + ".lock");
                registry = open(own);
                registryFile = own;
            }
            int[] ephemeral = PortBand.ephemeralRange();
            LOG.log(System.Logger.Level.DEBUG, "test ports from " + BAND + " (ephemeral range "
                    + (ephemeral == null ? "unknown" : ephemeral[0] + "-" + ephemeral[1]) + "), reserved in " + registryFile);
        }
        return registry;
    }

    private static FileChannel open(Path file) throws IOException {
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (created) {
            try {
                // other users' test JVMs reserve through the same file
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            } catch (IOException | UnsupportedOperationException e) {
                // then they fall back to their own file
            }
        }
        return channel;
    }
}
