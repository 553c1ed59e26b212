package io.meshplay.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.meshplay.broker.Message;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import org.HdrHistogram.Recorder;

/**
 * Row 4, the broker, on the bench's Azurite: publish and consume rates through the azqueue broker vs
 * the raw SDK loop (16 workers, 1 KiB bodies, the same queue size on both sides, a fresh queue per
 * round, alternating), then end-to-end latency at a steady 100 msg/s. The idle-queue request rate is
 * measured by {@link IdleProbe} while later rows run.
 */
final class BrokerBench {

    static final String BROKER = "azqueue broker";
    static final String RAW = "raw SDK loop";
    private static final String SENT_HEADER = "bench-sent-nanos";

    /** One round of one side: publish then drain the same queue. */
    record Round(double publishPerSecond, double consumePerSecond) {
        Map<String, Object> json() {
            return Map.of("publishPerSecond", Spread.round(publishPerSecond), "consumePerSecond", Spread.round(consumePerSecond));
        }
    }

    private BrokerBench() {
    }

    static void run(BenchEnv env, Row row) {
        BenchPlan plan = env.plan;
        BrokerSides sides = new BrokerSides(env);
        try {
            int n = plan.brokerMessages();
            // warm-up: a small round on each side (SDK clients, HTTP connections, the JIT), unrecorded
            round(sides, BROKER, Math.max(20, n / 5));
            round(sides, RAW, Math.max(20, n / 5));
            Map<String, List<Round>> results = Alternating.rounds(List.of(BROKER, RAW), plan.brokerRounds(),
                    side -> round(sides, side, n));
            List<Round> b = results.get(BROKER);
            List<Round> r = results.get(RAW);
            Spread pub = Alternating.ratio(b, r, Round::publishPerSecond);
            Spread con = Alternating.ratio(b, r, Round::consumePerSecond);
            row.goal("publish msgs/s broker / raw SDK (16 threads, 1 KiB, " + n + " per queue)",
                    pub.format(Spread::ratio) + ": " + Spread.count(Alternating.spread(b, Round::publishPerSecond).median())
                            + " vs " + Spread.count(Alternating.spread(r, Round::publishPerSecond).median()) + " msgs/s",
                    "≥ 0.9×", pub.median() >= 0.9);
            row.goal("consume msgs/s broker / raw SDK (16 workers, " + n + " queued)",
                    con.format(Spread::ratio) + ": " + Spread.count(Alternating.spread(b, Round::consumePerSecond).median())
                            + " vs " + Spread.count(Alternating.spread(r, Round::consumePerSecond).median()) + " msgs/s",
                    "≥ 0.9×", con.median() >= 0.9);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("messagesPerQueue", n);
            data.put("bodyBytes", BrokerSides.BODY_BYTES);
            data.put("workers", BrokerSides.WORKERS);
            data.put("raw", "QueueClient (SDK defaults, service version 2025-11-05): 16 threads sendMessage(base64 body); "
                    + "16 threads receiveMessages(min(32, n/16)) + deleteMessage each");
            data.put("publishRatioBrokerToRaw", pub.json());
            data.put("consumeRatioBrokerToRaw", con.json());
            results.forEach((side, list) -> data.put(side, list.stream().map(Round::json).toList()));
            row.data("throughput", data);
            endToEnd(env, sides, row);
        } finally {
            sides.broker.close();
        }
    }

    private static Round round(BrokerSides sides, String side, int n) {
        String queue = "bench-" + (side.equals(BROKER) ? "broker" : "raw") + "-" + UUID.randomUUID().toString().substring(0, 8);
        var admin = sides.raw(queue);
        admin.create();
        try {
            boolean broker = side.equals(BROKER);
            // one untimed message first on both sides: the broker checks a queue once per process
            // (createIfNotExists), which a long-running publisher pays once, not per 500 messages
            sides.publish(broker, queue, 1);
            double published = sides.publish(broker, queue, n);
            double consumed = broker ? sides.consumeWithBroker(queue, n + 1) : sides.consumeRaw(queue, n + 1);
            return new Round(published, consumed);
        } finally {
            admin.delete();
        }
    }

    /** Publishes at 100 msg/s through the broker while a subscription measures publish-to-handler latency. */
    private static void endToEnd(BenchEnv env, BrokerSides sides, Row row) {
        BenchPlan plan = env.plan;
        String queue = "bench-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        var admin = sides.raw(queue);
        admin.create();
        Recorder latency = new Recorder(60_000_000L, 3);
        AtomicLong received = new AtomicLong();
        AtomicLong publishFailures = new AtomicLong();
        Duration warm = plan.quick() ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
        long measureFrom = System.nanoTime() + warm.toNanos();
        AtomicLong sent = new AtomicLong();
        try (Subscription s = sides.broker.subscribe(queue, event -> {
            long at = Long.parseLong(event.message().header(SENT_HEADER));
            received.incrementAndGet();
            if (at >= measureFrom) {
                latency.recordValue(Math.max(1, (System.nanoTime() - at) / 1000));
            }
        }, SubscribeOptions.defaults().withConcurrency(BrokerSides.WORKERS).withName("bench-e2e"))) {
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            // a slow publish must not delay the next tick: publishes run on their own threads
            ExecutorService publishers = Executors.newFixedThreadPool(8);
            long total = (warm.plus(plan.e2e()).toMillis()) / 10;
            ticker.scheduleAtFixedRate(() -> {
                if (sent.get() >= total) {
                    return;
                }
                sent.incrementAndGet();
                publishers.execute(() -> {
                    try {
                        sides.broker.publish(queue, new Message(Map.of(SENT_HEADER, Long.toString(System.nanoTime())), sides.body));
                    } catch (RuntimeException e) {
                        publishFailures.incrementAndGet();
                    }
                });
            }, 0, 10, TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + warm.plus(plan.e2e()).plusSeconds(30).toNanos();
            while ((sent.get() < total || received.get() + publishFailures.get() < total) && System.nanoTime() < deadline) {
                ChildJvm.pause(20);
            }
            ticker.shutdownNow();
            publishers.shutdown();
        } finally {
            admin.delete();
        }
        var h = latency.getIntervalHistogram();
        double p50 = h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50);
        double p99 = h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99);
        row.goal("end-to-end latency at 100 msg/s (publish → handler)",
                "p50 " + Spread.millis(p50) + ", p99 " + Spread.millis(p99) + " over " + h.getTotalCount() + " msgs"
                        + (publishFailures.get() > 0 ? ", " + publishFailures.get() + " publish failures" : ""),
                "p50 ≤ 100 ms", p50 <= 100_000);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ratePerSecond", 100);
        data.put("measuredMessages", h.getTotalCount());
        data.put("warmupSeconds", warm.toSeconds());
        data.put("received", received.get());
        data.put("sent", sent.get());
        data.put("publishFailures", publishFailures.get());
        data.put("p50Micros", Spread.round(p50));
        data.put("p99Micros", Spread.round(p99));
        data.put("maxMicros", h.getTotalCount() == 0 ? null : h.getMaxValue());
        row.data("endToEnd", data);
    }
}
