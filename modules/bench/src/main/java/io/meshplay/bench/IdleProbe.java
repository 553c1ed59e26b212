package io.meshplay.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.storage.queue.QueueClient;
import io.meshplay.broker.Broker;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;

/**
 * Receive requests per minute of a broker subscription on an empty queue. Runs in the background
 * while the later rows (which do not touch Azurite) measure, since it only needs time to pass: the
 * subscription's backoff settles first (100 ms doubling up to {@code max-polling-interval}), then the
 * requests in the window after that are counted by a {@link CountingProxy} between broker and Azurite.
 */
final class IdleProbe implements AutoCloseable {

    private final BenchPlan plan;
    private final CountingProxy proxy;
    private final Broker broker;
    private final QueueClient admin;
    private final Subscription subscription;
    private final long startedNanos;
    private final String queue;

    private IdleProbe(BenchPlan plan, CountingProxy proxy, Broker broker, QueueClient admin, Subscription subscription,
                      long startedNanos, String queue) {
        this.plan = plan;
        this.proxy = proxy;
        this.broker = broker;
        this.admin = admin;
        this.subscription = subscription;
        this.startedNanos = startedNanos;
        this.queue = queue;
    }

    static IdleProbe start(BenchEnv env) {
        String queue = "bench-idle-" + UUID.randomUUID().toString().substring(0, 8);
        QueueClient admin = new BrokerSides(env).raw(queue);
        admin.create();
        String path = "/" + env.azurite.account() + "/" + queue + "/messages";
        CountingProxy proxy = CountingProxy.start(env.azurite.port(),
                line -> line.contains(path) && !line.contains("peekonly=true"));
        Broker broker = BrokerSides.broker("http://127.0.0.1:" + proxy.port() + "/" + env.azurite.account());
        long t0 = System.nanoTime();
        Subscription s = broker.subscribe(queue, event -> { }, SubscribeOptions.defaults().withName("bench-idle"));
        return new IdleProbe(env.plan, proxy, broker, admin, s, t0, queue);
    }

    /** Waits until settle + the minimum window have passed, then adds the line to row 4. */
    void finish(Row row) {
        long settled = startedNanos + plan.idleSettle().toNanos();
        long earliestEnd = settled + plan.idleMinWindow().toNanos();
        while (System.nanoTime() < earliestEnd) {
            ChildJvm.pause(100);
        }
        long end = System.nanoTime();
        List<Long> window = proxy.hits().stream().filter(t -> t >= settled && t <= end).sorted().toList();
        long count = window.size();
        double minutes = (end - settled) / 60e9;
        // the mean gap between requests, not count / window: a window holds one more request than gaps
        double perMinute = count >= 2
                ? 60e9 * (count - 1) / (window.getLast() - window.getFirst())
                : count / minutes;
        row.goal("receive requests per minute, idle queue",
                String.format(java.util.Locale.ROOT, "%.1f/min", perMinute) + " (" + count + " requests in " + Math.round(minutes * 60) + " s after "
                        + plan.idleSettle().toSeconds() + " s of backoff settling)",
                "≤ 12/min", perMinute <= 12.0);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("queue", queue);
        data.put("perMinute", Spread.round(perMinute));
        data.put("countedRequests", count);
        data.put("windowSeconds", Spread.round(minutes * 60));
        data.put("settleSeconds", plan.idleSettle().toSeconds());
        data.put("requestsIncludingSettle", proxy.countBetween(startedNanos, end));
        data.put("how", "a TCP proxy between the broker and Azurite counts GET /<account>/<queue>/messages (not peeks)");
        row.data("idle", data);
    }

    @Override
    public void close() {
        try {
            subscription.close();
            broker.close();
            admin.delete();
        } finally {
            proxy.close();
        }
    }
}
