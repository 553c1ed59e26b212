package io.meshplay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

/**
 * A closed-loop load generator: {@code concurrency} platform threads, each issuing its next request
 * as soon as the previous one finished, until the deadline. Latencies go into one HdrHistogram per
 * thread (no shared state on the hot path), merged at the end. Closed loop means a slower side gets
 * fewer requests, not a growing queue, so throughput and latency are both comparable.
 */
public final class ClosedLoop {

    /** One request; throws on failure. */
    @FunctionalInterface
    public interface Op {
        void call() throws Exception;
    }

    /** Longest latency the histograms track; slower calls are clamped (and would show as p99 anyway). */
    private static final long MAX_MICROS = Duration.ofSeconds(60).toNanos() / 1000;

    private ClosedLoop() {
    }

    /**
     * @param ops gives each worker its own op (a worker may keep per-thread state in it)
     */
    public static LoadResult run(String side, int concurrency, Duration duration, Supplier<Op> ops) {
        AtomicLong deadline = new AtomicLong();
        return run(side, concurrency, ops, deadline, () -> deadline.set(System.nanoTime() + duration.toNanos()));
    }

    /**
     * Runs until {@code deadline} (System.nanoTime) passes; the caller may move it while the load runs, e.g.
     * to keep loading until a server under test has stopped.
     *
     * @param onStart sets the first deadline at the moment the workers are released
     */
    public static LoadResult run(String side, int concurrency, Supplier<Op> ops, AtomicLong deadline, Runnable onStart) {
        List<Worker> workers = new ArrayList<>(concurrency);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(concurrency);
        AtomicReference<String> firstError = new AtomicReference<>();
        for (int i = 0; i < concurrency; i++) {
            Worker w = new Worker(ops.get(), start, done, deadline, firstError);
            workers.add(w);
            Thread.ofPlatform().daemon().name("bench-" + side.replaceAll("\\W+", "-") + "-" + i).start(w);
        }
        long t0 = System.nanoTime();
        onStart.run();
        start.countDown();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + side, e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Histogram merged = new Histogram(MAX_MICROS, 3);
        long calls = 0;
        long errors = 0;
        for (Worker w : workers) {
            merged.add(w.histogram);
            calls += w.calls;
            errors += w.errors;
        }
        return new LoadResult(side, concurrency, calls, errors, seconds, merged, firstError.get());
    }

    private static final class Worker implements Runnable {
        private final Op op;
        private final CountDownLatch start;
        private final CountDownLatch done;
        private final AtomicLong deadline;
        private final AtomicReference<String> firstError;
        private final Histogram histogram = new Histogram(MAX_MICROS, 3);
        private long calls;
        private long errors;

        Worker(Op op, CountDownLatch start, CountDownLatch done, AtomicLong deadline, AtomicReference<String> firstError) {
            this.op = op;
            this.start = start;
            this.done = done;
            this.deadline = deadline;
            this.firstError = firstError;
        }

        @Override
        public void run() {
            try {
                start.await();
                long now = System.nanoTime();
                while (now < deadline.get()) {
                    try {
                        op.call();
                        long after = System.nanoTime();
                        histogram.recordValue(Math.min(MAX_MICROS, Math.max(1, (after - now) / 1000)));
                        calls++;
                        now = after;
                    } catch (Exception e) {
                        errors++;
                        firstError.compareAndSet(null, Errors.describe(e));
                        now = System.nanoTime();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.countDown();
            }
        }
    }
}
