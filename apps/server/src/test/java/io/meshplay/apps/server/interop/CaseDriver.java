package io.meshplay.apps.server.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs one case with one client and watches the server while it runs: its heap under a slow reader, how
 * far the stream ran ahead of the reader, and how soon a cancelled or expired stream ended on the server.
 */
final class CaseDriver {

    /** The cancel case's promise: the server stops producing within this long of the client's cancel. */
    static final long STOP_WITHIN_MS = 1000;
    /** Covers Helidon's flow-control wait (~15 s), after which a stream it failed to cancel does end. */
    private static final Duration EARLIER_STREAMS_END = Duration.ofSeconds(20);

    private final ConsulView.Target target;
    private final String transport;
    private final String kase;
    private final List<String> racyDefectsSeen = new ArrayList<>();
    private long repeatedCancelsBefore;
    private long stopMs = -1;
    private long messagesAtStop = -1;
    private long maxLead = -1;
    private HeapSampler heap;

    CaseDriver(ConsulView.Target target, String transport, String kase) {
        this.target = target;
        this.transport = transport;
        this.kase = kase;
    }

    Duration budget() {
        return kase.equals("stream-1m-slow-reader") ? Duration.ofSeconds(180) : Duration.ofSeconds(60);
    }

    /** Runs the case; returns the client's result line. */
    JsonObject run(Session.Client client) {
        long waited = InteropServer.awaitMeter(target, InteropServerMain.OPEN, v -> v == 0, EARLIER_STREAMS_END);
        assertThat(waited).as("server streams of earlier cases still open after " + EARLIER_STREAMS_END).isNotNegative();
        repeatedCancelsBefore = InteropServer.Metrics.scrape(target).repeatedCancels();
        long deadline = System.nanoTime() + budget().toNanos();
        if (kase.equals("stream-1m-slow-reader")) {
            heap = new HeapSampler(target);
        }
        try (Session session = client.start(kase, target)) {
            // bounded: a case prints at most a dozen events before its result
            for (int lines = 0; lines < 1000; lines++) {
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                JsonObject line = session.next(left);
                if (line.get("type").getAsString().equals("result")) {
                    return line;
                }
                onEvent(session, line);
            }
            throw new IllegalStateException(client.name() + " " + kase + " printed 1000 lines without a result");
        } finally {
            if (heap != null) {
                heap.close();
            }
        }
    }

    private void onEvent(Session session, JsonObject event) {
        switch (event.get("event").getAsString()) {
            case "resume" -> {
                // read as the reader resumes: what the server had produced while it was paused
                long produced = InteropServer.Metrics.scrape(target).messages() - heap.messagesBefore;
                maxLead = Math.max(maxLead, produced - event.get("received").getAsLong());
            }
            case "cancelled" -> {
                long cancelledAt = event.get("at").getAsLong();
                long waited = InteropServer.awaitMeter(target, InteropServerMain.OPEN, v -> v == 0, Duration.ofSeconds(5));
                stopMs = waited < 0 ? -1 : System.currentTimeMillis() - cancelledAt;
                messagesAtStop = InteropServer.Metrics.scrape(target).messages();
                session.proceed();
            }
            default -> {
                // pause: nothing to do until the reader resumes
            }
        }
    }

    /** Server-side defects that may show on this transport and were seen in this case (reported, not failed). */
    List<String> racyDefectsSeen() {
        return racyDefectsSeen;
    }

    /** Cross-checks of a passing case that need the server's or Consul's view. */
    void assertServerSide(JsonObject result, String instanceId) {
        switch (kase) {
            case "unary", "metadata", "stream-100k", "stream-1m-slow-reader" ->
                    assertThat(KnownDefects.text(result, "instance")).as("meshplay-instance header: the instance Consul listed")
                            .isEqualTo(instanceId);
            default -> {
            }
        }
        if (kase.equals("stream-1m-slow-reader")) {
            result.addProperty("server_max_heap_mb", heap.maxUsed / (1024 * 1024));
            result.addProperty("server_max_lead", maxLead);
            assertThat(heap.samples).as("heap samples taken").isPositive();
            assertThat(heap.maxUsed).as("server heap under a paused reader (-Xmx" + InteropServer.MAX_HEAP_MB + "m)")
                    .isLessThan(InteropServer.MAX_HEAP_MB * 1024L * 1024L);
        }
        if (kase.equals("cancel")) {
            result.addProperty("server_stopped_after_ms", stopMs);
            assertThat(stopMs).as("server stream ended after the client's cancel (within 5 s)").isNotNegative();
            assertThat(stopMs).as("ms from the client's cancel to the server's stream ending").isLessThanOrEqualTo(STOP_WITHIN_MS);
            assertThat(InteropServer.Metrics.scrape(target).messages()).as("responses produced after the stream ended")
                    .isEqualTo(messagesAtStop);
        }
        if (kase.equals("deadline")) {
            long waited = InteropServer.awaitMeter(target, InteropServerMain.OPEN, v -> v == 0, Duration.ofSeconds(2));
            result.addProperty("server_stream_ended_ms", waited);
            racyCheck(KnownDefects.DEADLINE_STREAM_ENDED, waited >= 0, "still open 2 s after the client's deadline");
        }
        long repeated = InteropServer.Metrics.scrape(target).repeatedCancels() - repeatedCancelsBefore;
        racyCheck(KnownDefects.SINGLE_CANCEL, repeated == 0, repeated + " repeated onCancel call(s) during the case");
    }

    private void racyCheck(String check, boolean held, String observed) {
        if (held) {
            return;
        }
        var racy = KnownDefects.racy(transport, check);
        if (racy.isEmpty()) {
            throw new AssertionError(check + " failed on the " + transport + " transport: " + observed);
        }
        racyDefectsSeen.add(racy.get().upstream().title + " (" + observed + ")");
    }

    /** Samples the server's used heap every 250 ms while the slow reader runs. */
    private static final class HeapSampler implements AutoCloseable {
        private final ConsulView.Target target;
        private final long messagesBefore;
        private final Thread thread;
        private volatile boolean stopped;
        private volatile long maxUsed;
        private volatile int samples;

        HeapSampler(ConsulView.Target target) {
            this.target = target;
            this.messagesBefore = InteropServer.Metrics.scrape(target).messages();
            this.thread = Thread.ofPlatform().daemon().name("interop-heap").start(this::sample);
        }

        private void sample() {
            // bounded: 250 ms apart, at most the 180 s budget of the case
            for (int i = 0; i < 800 && !stopped; i++) {
                try {
                    maxUsed = Math.max(maxUsed, InteropServer.Metrics.scrape(target).usedHeap());
                    samples++;
                } catch (RuntimeException e) {
                    // a missed sample under load is not a failure; samples counts the ones taken
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            }
        }

        @Override
        public void close() {
            stopped = true;
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
