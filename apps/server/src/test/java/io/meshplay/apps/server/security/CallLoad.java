package io.meshplay.apps.server.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A client calling without pause for breath (a short pace between calls, so two cores shared with other
 * builds are not saturated) on a thread of its own, every outcome kept with its time: what a running
 * client saw while the test changed something under it. Stops at {@link #close()} or after its limits.
 */
final class CallLoad implements AutoCloseable {

    /** One call as the client saw it. */
    record Outcome(long nanos, Status.Code code, String description) {
    }

    /** One call; throws {@link StatusRuntimeException} for a failed call. */
    interface OneCall {
        void call(long index);
    }

    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    private CallLoad(String name, OneCall call, Duration pace, Duration maxDuration, long maxCalls) {
        thread = Thread.ofPlatform().name("load-" + name).daemon().start(() -> {
            long end = System.nanoTime() + maxDuration.toNanos();
            for (long i = 0; i < maxCalls && !stop && System.nanoTime() < end; i++) {
                try {
                    call.call(i);
                    outcomes.add(new Outcome(System.nanoTime(), Status.Code.OK, ""));
                } catch (StatusRuntimeException e) {
                    outcomes.add(new Outcome(System.nanoTime(), e.getStatus().getCode(), String.valueOf(e.getStatus().getDescription())));
                } catch (RuntimeException e) {
                    outcomes.add(new Outcome(System.nanoTime(), Status.Code.INTERNAL, "the test's call threw " + e));
                }
                LockSupport.parkNanos(pace.toNanos());
            }
        });
    }

    /** Starts calling now, every {@code pace}, for at most {@code maxDuration} and {@code maxCalls} calls. */
    static CallLoad start(String name, OneCall call, Duration pace, Duration maxDuration, long maxCalls) {
        return new CallLoad(name, call, pace, maxDuration, maxCalls);
    }

    /** The first outcome with {@code code} at or after {@code sinceNanos}. */
    Optional<Outcome> first(Status.Code code, long sinceNanos) {
        return outcomes.stream().filter(o -> o.nanos() >= sinceNanos && o.code() == code).findFirst();
    }

    long count(Status.Code code) {
        return outcomes.stream().filter(o -> o.code() == code).count();
    }

    long total() {
        return outcomes.size();
    }

    /** The calls that did not succeed. */
    List<Outcome> failures() {
        return outcomes.stream().filter(o -> o.code() != Status.Code.OK).toList();
    }

    /** Calls per status code, for a report line. */
    Map<Status.Code, Long> byCode() {
        return outcomes.stream().collect(Collectors.groupingBy(Outcome::code, TreeMap::new, Collectors.counting()));
    }

    boolean running() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        if (!thread.join(Duration.ofSeconds(15))) {
            throw new IllegalStateException("the load thread did not stop within 15 s");
        }
    }

    static long millisSince(long nanos, Outcome outcome) {
        return TimeUnit.NANOSECONDS.toMillis(outcome.nanos() - nanos);
    }
}
