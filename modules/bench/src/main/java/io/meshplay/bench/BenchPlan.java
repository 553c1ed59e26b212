package io.meshplay.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long and how often each row measures. The full plan fits the 10 minutes on a 2-core
 * machine with room to spare; the quick plan runs every row with tiny durations, as a smoke check
 * that the bench works (its figures are not worth quoting).
 */
public record BenchPlan(boolean quick,
                        Duration warmup,
                        Duration levelWarmup,
                        Duration slot,
                        int rounds,
                        List<Integer> concurrencies,
                        int serverRounds,
                        int serverConcurrency,
                        Duration profile,
                        int streamCount,
                        int streamRounds,
                        Duration pingPongSlot,
                        int brokerMessages,
                        int brokerRounds,
                        Duration e2e,
                        Duration idleSettle,
                        Duration idleMinWindow,
                        int dynamicsRounds,
                        Duration loadBeforeStop,
                        Duration loadAfterStop,
                        int footprintRounds,
                        Duration rssLoad,
                        Duration handshakeSlot,
                        int handshakeRounds,
                        int handshakeConcurrency,
                        int handshakeCap) {

    public static BenchPlan fullPlan() {
        return new BenchPlan(false, Duration.ofSeconds(4), Duration.ofSeconds(1), Duration.ofSeconds(2), 5,
                List.of(1, 16, 64), 7, 16, Duration.ofSeconds(8),
                100_000, 3, Duration.ofSeconds(3),
                500, 3, Duration.ofSeconds(15), Duration.ofSeconds(8), Duration.ofSeconds(40),
                3, Duration.ofSeconds(2), Duration.ofSeconds(3),
                3, Duration.ofSeconds(10),
                Duration.ofSeconds(1), 5, 4, 5_000);
    }

    public static BenchPlan quickPlan() {
        return new BenchPlan(true, Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofMillis(400), 1,
                List.of(1, 16, 64), 1, 16, Duration.ofSeconds(1),
                100_000, 1, Duration.ofMillis(500),
                100, 1, Duration.ofSeconds(3), Duration.ofSeconds(8), Duration.ofSeconds(8),
                1, Duration.ofSeconds(1), Duration.ofMillis(1500),
                1, Duration.ofSeconds(2),
                Duration.ofMillis(300), 1, 4, 500);
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("warmupSeconds", warmup.toMillis() / 1000.0);
        m.put("slotSeconds", slot.toMillis() / 1000.0);
        m.put("rounds", rounds);
        m.put("concurrencies", concurrencies);
        m.put("serverRounds", serverRounds);
        m.put("streamCount", streamCount);
        m.put("brokerMessages", brokerMessages);
        m.put("brokerRounds", brokerRounds);
        m.put("dynamicsRounds", dynamicsRounds);
        m.put("footprintRounds", footprintRounds);
        m.put("handshakeSlotSeconds", handshakeSlot.toMillis() / 1000.0);
        m.put("handshakeRounds", handshakeRounds);
        m.put("handshakeConcurrency", handshakeConcurrency);
        m.put("handshakeCap", handshakeCap);
        return m;
    }
}
