package io.meshplay.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts a child process on leased ports and, when it could not bind one of them, starts it again on
 * fresh ports, at most {@link #ATTEMPTS} times. Leased ports lie outside the ephemeral range and are
 * reserved against the other test JVMs, so a bind failure means a process outside the tests took the
 * port: rare, and not worth failing a build for.
 *
 * <pre>{@code
 * Server s = PortRetry.start("prometheus", 1, (ports, output) -> {
 *     Path log = output.watch(logDir.resolve("prometheus-" + ports.port() + ".log"));
 *     ... start the child on ports.port(), appending to log; wait until it is ready;
 *     ... on failure stop the child, then throw
 *     return new Server(ports, child); // owns the lease and closes it with the child
 * });
 * }</pre>
 */
public final class PortRetry {

    /** Starts of one child, the first included. */
    public static final int ATTEMPTS = 3;

    private static final System.Logger LOG = System.getLogger(PortRetry.class.getName());
    /** Fault injection for tests: runs after the ports are leased and before the attempt starts its child. */
    private static final ThreadLocal<Consumer<PortLease>> BEFORE_ATTEMPT = new ThreadLocal<>();

    private PortRetry() {
    }

    /** One start of the child. */
    @FunctionalInterface
    public interface Attempt<T> {
        /**
         * Starts the child on {@code ports} and waits until it is ready. On failure it stops the child
         * before throwing. What it returns owns the lease and closes it when the child is gone for good.
         *
         * @param output tell it the file the child writes to, so a bind failure there is recognised
         */
        T start(PortLease ports, Output output) throws Exception;
    }

    /** Where the child of the current attempt writes. */
    public static final class Output {
        private Path log;
        private long from;

        /**
         * Marks the end of {@code log} before the child starts: only what is written after counts.
         *
         * @return {@code log}
         */
        public Path watch(Path log) {
            this.log = log;
            this.from = BindFailure.mark(log);
            return log;
        }

        Optional<String> bindFailure() {
            return BindFailure.in(log, from);
        }
    }

    /**
     * Runs {@code attempt} on {@code portCount} fresh ports until it succeeds, fails for another reason
     * than a bind failure (thrown at once), or fails to bind {@link #ATTEMPTS} times.
     *
     * @param what names the child in messages, e.g. {@code "consul agent"}
     */
    public static <T> T start(String what, int portCount, Attempt<T> attempt) {
        // ports a child could not bind stay reserved until the end, so the next lease cannot pick them again
        List<PortLease> failed = new ArrayList<>();
        try {
            for (int i = 1; ; i++) {
                PortLease ports = Ports.lease(portCount);
                Output output = new Output();
                boolean handedOver = false;
                try {
                    Consumer<PortLease> interfere = BEFORE_ATTEMPT.get();
                    if (interfere != null) {
                        interfere.accept(ports);
                    }
                    T started = attempt.start(ports, output);
                    handedOver = true;
                    return started;
                } catch (Exception e) {
                    Optional<String> said = output.bindFailure().or(() -> BindFailure.in(e));
                    if (said.isEmpty()) {
                        throw unchecked(e);
                    }
                    failed.add(ports);
                    handedOver = true;
                    String which = culprit(ports, said.get());
                    if (i >= ATTEMPTS) {
                        throw new IllegalStateException(what + " could not bind " + which + " in " + ATTEMPTS
                                + " attempts on fresh ports; it said: " + said.get(), e);
                    }
                    LOG.log(System.Logger.Level.WARNING, what + " could not bind " + which + " (it said: " + said.get()
                            + "); starting it again on fresh ports, attempt " + (i + 1) + " of " + ATTEMPTS);
                } finally {
                    if (!handedOver) {
                        ports.close();
                    }
                }
            }
        } finally {
            failed.forEach(PortLease::close);
        }
    }

    /**
     * Runs {@code action} with {@code interfere} called before every attempt this thread starts: how a test
     * takes a leased port away from a child, as a foreign process would.
     */
    static void interfering(Consumer<PortLease> interfere, Runnable action) {
        BEFORE_ATTEMPT.set(interfere);
        try {
            action.run();
        } finally {
            BEFORE_ATTEMPT.remove();
        }
    }

    /** The leased port the child's message names, else all of them. */
    private static String culprit(PortLease ports, String said) {
        if (ports.size() == 1) {
            return ports.toString();
        }
        for (int port : ports.ports()) {
            if (said.matches(".*\\b" + port + "\\b.*")) {
                return "port " + port;
            }
        }
        return "one of " + ports;
    }

    private static RuntimeException unchecked(Exception e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException(e.getMessage(), e);
    }
}
