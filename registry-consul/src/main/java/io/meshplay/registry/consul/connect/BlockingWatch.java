package io.meshplay.registry.consul.connect;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import io.meshplay.retry.Backoff;
import io.meshplay.retry.OutageLog;

/**
 * Follows one agent endpoint with blocking queries (index + wait) on its own daemon thread and hands each
 * new answer to a handler. While the agent fails it backs off, keeps what was loaded, logs the outage
 * once ({@link OutageLog}; as an error when only an operator can fix it) and remembers the problem.
 */
final class BlockingWatch implements AutoCloseable {

    /** Takes a new body; throws {@link AgentException} for one it cannot use. */
    @FunctionalInterface
    interface Handler {
        void accept(String body) throws Exception;
    }

    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);

    private final String what;
    private final String path;
    private final AgentApi api;
    private final Duration wait;
    private final Backoff backoff;
    private final Function<AgentAnswer, AgentException> refusal;
    private final AgentErrors errors;
    private final Handler handler;
    private final OutageLog outage;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile AgentException problem;
    private volatile boolean healthy;
    private final java.util.concurrent.atomic.AtomicLong failedAttempts = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param what    what the endpoint holds, for messages: {@code the CA roots}
     * @param refusal turns a non-2xx answer into the error to report
     */
    BlockingWatch(String what, String path, AgentApi api, Duration wait, Duration maxBackoff, AgentErrors errors,
                  Function<AgentAnswer, AgentException> refusal, Handler handler) {
        this.what = what;
        this.path = path;
        this.api = api;
        this.wait = wait;
        this.backoff = Backoff.exponential(MIN_BACKOFF, maxBackoff.compareTo(MIN_BACKOFF) > 0 ? maxBackoff : MIN_BACKOFF);
        this.errors = errors;
        this.refusal = refusal;
        this.handler = handler;
        this.outage = new OutageLog("connect: watch of " + what + " at " + api.address());
        this.thread = Thread.ofPlatform().daemon().name("meshplay-connect-watch").unstarted(this::run);
    }

    BlockingWatch start() {
        thread.start();
        return this;
    }

    /** Why the last query failed, while it keeps failing. */
    Optional<AgentException> problem() {
        return Optional.ofNullable(problem);
    }

    /** Whether the last query was answered (so what it feeds is current). */
    boolean healthy() {
        return healthy;
    }

    /** How many queries failed so far (for tests of the one-line outage log). */
    long failedAttempts() {
        return failedAttempts.get();
    }

    private void run() {
        Optional<BigInteger> index = Optional.empty();
        while (running) {
            try {
                AgentAnswer answer = api.watch(path, index, wait);
                if (!answer.ok()) {
                    throw refusal.apply(answer);
                }
                Optional<BigInteger> next = nextIndex(index, answer.index());
                if (next.isEmpty() || !next.equals(index)) {
                    try {
                        handler.accept(answer.body());
                    } catch (AgentException e) {
                        throw e;
                    } catch (Exception e) {
                        throw errors.unreadable(what, e);
                    }
                }
                index = next;
                succeeded();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                // nobody closed the watch: an HTTP client internal, not a reason to stop
                Thread.interrupted();
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                index = Optional.empty();
                failed(errors.unreachable(e, what));
            } catch (AgentException e) {
                index = Optional.empty();
                failed(e);
            } catch (RuntimeException e) {
                index = Optional.empty();
                failed(errors.unreadable(what, e));
            }
        }
    }

    /** Consul's rules: no index or one that goes backwards (agent restart) means start over. */
    private static Optional<BigInteger> nextIndex(Optional<BigInteger> previous, Optional<BigInteger> received) {
        if (received.isEmpty() || received.get().signum() <= 0) {
            return Optional.of(BigInteger.ONE);
        }
        if (previous.isPresent() && received.get().compareTo(previous.get()) < 0) {
            return Optional.empty();
        }
        return received;
    }

    private void succeeded() {
        // the outage's last line comes before the state that ends it, so whoever sees it healthy sees it logged
        outage.success();
        problem = null;
        healthy = true;
        backoff.reset();
    }

    private void failed(AgentException e) {
        problem = e;
        healthy = false;
        failedAttempts.incrementAndGet();
        outage.failure(e.permanent() ? Level.ERROR : Level.WARNING, e.getMessage() + "; retrying with backoff, anything loaded before stays in use");
        try {
            Thread.sleep(backoff.next().toMillis());
        } catch (InterruptedException stop) {
            if (!running) {
                return;
            }
            Thread.interrupted();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
