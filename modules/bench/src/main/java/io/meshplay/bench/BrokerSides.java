package io.meshplay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueServiceVersion;
import com.azure.storage.queue.models.QueueMessageItem;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.Message;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.config.MeshplayConfig;

/**
 * The two sides of the broker row: meshplay's azqueue broker (envelope, lease renewal, adaptive
 * polling, a virtual thread per message) and the loop a user would write with the raw
 * azure-storage-queue SDK: N threads sending, and N threads each receiving up to 32 and deleting.
 */
final class BrokerSides {

    static final int WORKERS = 16;
    static final int BODY_BYTES = 1024;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(180);

    private final String endpoint;
    private final String connectionString;
    final Broker broker;
    final byte[] body = new byte[BODY_BYTES];
    /** What the raw loop sends: the body as base64 text, as users of the SDK do for binary payloads. */
    final String rawText;

    BrokerSides(BenchEnv env) {
        this.endpoint = env.azurite.endpoint();
        this.connectionString = env.azurite.connectionString();
        new java.util.Random(42).nextBytes(body);
        this.rawText = Base64.getEncoder().encodeToString(body);
        this.broker = broker(endpoint);
    }

    static Broker broker(String endpoint) {
        return Brokers.create(MeshplayConfig.of(Map.of(
                "broker.type", "azqueue",
                "broker.azqueue.endpoint", endpoint)).get("broker"));
    }

    /** The raw SDK client a user would build (SDK defaults, service version pinned for Azurite). */
    QueueClient raw(String queue) {
        return new QueueClientBuilder()
                .connectionString(connectionString)
                .queueName(queue)
                .serviceVersion(QueueServiceVersion.V2025_11_05)
                .buildClient();
    }

    /** Publishes {@code n} messages from {@link #WORKERS} threads; returns messages per second. */
    double publish(boolean viaBroker, String queue, int n) {
        QueueClient raw = raw(queue);
        return parallel(n, i -> {
            if (viaBroker) {
                broker.publish(queue, Message.of(body));
            } else {
                raw.sendMessage(rawText);
            }
        });
    }

    /** Drains {@code n} messages through a broker subscription of concurrency {@link #WORKERS}; messages per second. */
    double consumeWithBroker(String queue, int n) {
        long before = acked(queue);
        long t0 = System.nanoTime();
        try (Subscription s = broker.subscribe(queue, event -> { }, SubscribeOptions.defaults().withConcurrency(WORKERS)
                .withName("bench"))) {
            long deadline = t0 + DRAIN_TIMEOUT.toNanos();
            // ends when the broker deleted the last message (acked), which is when the raw loop's count ends too
            while (acked(queue) - before < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker acked " + (acked(queue) - before) + " of " + n
                            + " messages of '" + queue + "' within " + DRAIN_TIMEOUT);
                }
                ChildJvm.pause(2);
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** The broker's own count of deleted (handled) messages of {@code queue}, from Helidon's global registry. */
    static long acked(String queue) {
        return Metrics.globalRegistry().counter("meshplay.broker.acked", List.of(Tag.create("queue", queue)))
                .map(Counter::count).orElse(0L);
    }

    /**
     * Drains {@code n} messages with {@link #WORKERS} threads, each receiving a batch and deleting its
     * messages one by one; messages per second. The batch is 32 (Azure's maximum) unless the queue is too
     * small for every worker to get one, so all 16 workers share the queue as the broker's 16 do.
     */
    double consumeRaw(String queue, int n) {
        QueueClient raw = raw(queue);
        int batch = Math.max(1, Math.min(32, (n + WORKERS - 1) / WORKERS));
        AtomicInteger deleted = new AtomicInteger();
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        long t0 = System.nanoTime();
        parallelWorkers(() -> {
            while (deleted.get() < n && System.nanoTime() < deadline) {
                List<QueueMessageItem> items = new ArrayList<>();
                raw.receiveMessages(batch, Duration.ofSeconds(30), null, null).forEach(items::add);
                if (items.isEmpty()) {
                    ChildJvm.pause(10);
                }
                for (QueueMessageItem item : items) {
                    raw.deleteMessage(item.getMessageId(), item.getPopReceipt());
                    deleted.incrementAndGet();
                }
            }
        });
        if (deleted.get() < n) {
            throw new IllegalStateException("the raw loop deleted " + deleted.get() + " of " + n + " within " + DRAIN_TIMEOUT);
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private interface Task {
        void run(int i) throws Exception;
    }

    private static double parallel(int n, Task task) {
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        parallelWorkers(() -> {
            int i;
            while ((i = next.getAndIncrement()) < n) {
                task.run(i);
            }
        });
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void parallelWorkers(Work work) {
        CountDownLatch done = new CountDownLatch(WORKERS);
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int w = 0; w < WORKERS; w++) {
            Thread.ofPlatform().daemon().name("bench-broker-" + w).start(() -> {
                try {
                    work.run();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            if (!done.await(DRAIN_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("broker workers did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException(Errors.describe(failure.get()), failure.get());
        }
    }
}
