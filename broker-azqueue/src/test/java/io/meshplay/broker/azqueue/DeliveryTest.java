package io.meshplay.broker.azqueue;

import static io.meshplay.broker.azqueue.TestBrokers.queue;
import static io.meshplay.broker.azqueue.TestBrokers.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.azure.storage.queue.models.QueueMessageItem;
import io.meshplay.broker.Message;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** At-least-once delivery under load, failures, slow handlers and shutdown, on a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class DeliveryTest {

    private static final System.Logger LOG = System.getLogger(DeliveryTest.class.getName());

    @Test
    void thousandMessagesWithSixteenWorkersAreEachHandledExactlyOnce(Azurite azurite) throws Exception {
        int count = 1000;
        String q = queue("load");
        try (AzureQueueBroker broker = TestBrokers.broker(azurite)) {
            long publishStart = System.nanoTime();
            publishNumbered(broker, q, count);
            long publishNanos = System.nanoTime() - publishStart;

            Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
            AtomicInteger handled = new AtomicInteger();
            long drainStart = System.nanoTime();
            Subscription subscription = broker.subscribe(q, e -> {
                seen.computeIfAbsent(number(e.message()), k -> new AtomicInteger()).incrementAndGet();
                handled.incrementAndGet();
            }, SubscribeOptions.defaults().withConcurrency(16).withName("load"));
            await().atMost(Duration.ofSeconds(90)).until(() -> BrokerMetrics.of(q).acked.count() == count);
            long drainNanos = System.nanoTime() - drainStart;
            // a duplicate would come back after the 2 s visibility timeout: watch past it
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> handled.get() == count);
            subscription.close();

            assertThat(seen).hasSize(count);
            assertThat(seen.values()).allSatisfy(n -> assertThat(n).hasValue(1));
            assertThat(TestBrokers.drainVisible(raw(azurite, q))).isEmpty();

            // the baseline STACK.md asks for: the raw SDK draining the same number on the same Azurite
            String baseline = queue("baseline");
            publishNumbered(broker, baseline, count);
            var rawQueue = raw(azurite, baseline);
            long rawStart = System.nanoTime();
            int drained = 0;
            while (drained < count) {
                for (QueueMessageItem item : rawQueue.receiveMessages(32, Duration.ofSeconds(30), null, null)) {
                    rawQueue.deleteMessage(item.getMessageId(), item.getPopReceipt());
                    drained++;
                }
            }
            long rawNanos = System.nanoTime() - rawStart;
            LOG.log(System.Logger.Level.INFO, String.format("azqueue load: published %d in %.1f s (%.0f/s, 8 threads); broker "
                            + "received+handled+deleted them in %.1f s (%.0f/s, concurrency 16); raw SDK receive(32)+delete "
                            + "loop, one thread, same count: %.1f s (%.0f/s)", count, publishNanos / 1e9,
                    count / (publishNanos / 1e9), drainNanos / 1e9, count / (drainNanos / 1e9), rawNanos / 1e9,
                    count / (rawNanos / 1e9)));
        }
    }

    @Test
    void handlersFailingAtRandomLoseNothing(Azurite azurite) throws Exception {
        int count = 200;
        String q = queue("flaky");
        // enough tries that 30% failures essentially never reach the poison queue (0.3^8 per message)
        try (AzureQueueBroker broker = TestBrokers.broker(azurite, "max-attempts", "8", "retry-backoff", "0s")) {
            publishNumbered(broker, q, count);
            Random random = new Random(42);
            Map<Integer, AtomicInteger> succeeded = new ConcurrentHashMap<>();
            AtomicInteger failures = new AtomicInteger();
            broker.subscribe(q, e -> {
                boolean fail;
                synchronized (random) {
                    fail = random.nextDouble() < 0.3;
                }
                if (fail) {
                    failures.incrementAndGet();
                    throw new IllegalStateException("random failure");
                }
                succeeded.computeIfAbsent(number(e.message()), k -> new AtomicInteger()).incrementAndGet();
            }, SubscribeOptions.defaults().withConcurrency(16));
            await().atMost(Duration.ofSeconds(90)).until(() -> succeeded.size() == count);

            assertThat(succeeded.keySet()).containsExactlyInAnyOrderElementsOf(IntStream.range(0, count).boxed().toList());
            assertThat(failures.get()).as("about 30% of %d deliveries failed", count + failures.get())
                    .isBetween(count / 5, count);
            await().atMost(Duration.ofSeconds(10)).until(() -> BrokerMetrics.of(q).acked.count() == count);
            assertThat(BrokerMetrics.of(q).poisoned.count()).isZero();
            assertThat(TestBrokers.drainVisible(raw(azurite, q))).isEmpty();
            assertThat(raw(azurite, q).getProperties().getApproximateMessagesCount()).isZero();
        }
    }

    @Test
    void handlerSlowerThanTheVisibilityTimeoutIsNotDeliveredTwice(Azurite azurite) {
        String q = queue("slow");
        try (AzureQueueBroker first = TestBrokers.broker(azurite); AzureQueueBroker second = TestBrokers.broker(azurite)) {
            AtomicInteger deliveries = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            io.meshplay.broker.Handler slow = e -> {
                deliveries.incrementAndGet();
                Thread.sleep(5_000); // the work itself: 2.5 visibility timeouts
                done.incrementAndGet();
            };
            // two competing consumers: without renewal the second one would take the message after 2 s
            first.subscribe(q, slow, SubscribeOptions.defaults().withConcurrency(2));
            second.subscribe(q, slow, SubscribeOptions.defaults().withConcurrency(2));
            long renewalsBefore = BrokerMetrics.of(q).leaseRenewals.count();
            first.publish(q, Message.of("slow".getBytes(StandardCharsets.UTF_8)));

            await().atMost(Duration.ofSeconds(20)).until(() -> done.get() == 1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> deliveries.get() == 1);
            // every 2/3 s for 5 s is about 7; fewer than 3 would have let the lease lapse
            assertThat(BrokerMetrics.of(q).leaseRenewals.count() - renewalsBefore).isGreaterThanOrEqualTo(3);
            assertThat(BrokerMetrics.of(q).acked.count()).isEqualTo(1);
        }
    }

    @Test
    void gracefulShutdownLeavesNoMessageInvisible(Azurite azurite) throws Exception {
        int count = 30;
        String q = queue("shutdown");
        try (AzureQueueBroker broker = TestBrokers.broker(azurite, "batch-size", "32")) {
            publishNumbered(broker, q, count);
            AtomicInteger started = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            Semaphore firstWave = new Semaphore(0);
            Subscription subscription = broker.subscribe(q, e -> {
                started.incrementAndGet();
                firstWave.release();
                Thread.sleep(400); // the work
                finished.incrementAndGet();
            }, SubscribeOptions.defaults().withConcurrency(8));
            firstWave.acquire(8);

            subscription.close();
            assertThat(subscription.active()).isFalse();
            assertThat(finished.get()).as("running handlers were allowed to finish").isEqualTo(started.get());
            long acked = BrokerMetrics.of(q).acked.count();
            assertThat(acked).isEqualTo(finished.get());
            List<QueueMessageItem> left = TestBrokers.drainVisible(raw(azurite, q));
            assertThat(left).as("every message not handled is visible at once").hasSize(count - (int) acked);
        }
    }

    @Test
    void shutdownDeadlineInterruptsHandlersAndTheirMessagesComeBack(Azurite azurite) {
        String q = queue("deadline");
        try (AzureQueueBroker stuck = TestBrokers.broker(azurite, "shutdown-timeout", "1s");
             AzureQueueBroker next = TestBrokers.broker(azurite)) {
            Semaphore started = new Semaphore(0);
            AtomicInteger interrupted = new AtomicInteger();
            Subscription subscription = stuck.subscribe(q, e -> {
                started.release();
                try {
                    Thread.sleep(60_000); // a handler that ignores the shutdown
                } catch (InterruptedException ie) {
                    interrupted.incrementAndGet();
                    throw ie;
                }
            }, SubscribeOptions.defaults().withConcurrency(1));
            stuck.publish(q, Message.of("stuck".getBytes(StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(20)).until(() -> started.availablePermits() == 1);

            long closeStart = System.nanoTime();
            subscription.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closeStart)).isLessThan(Duration.ofSeconds(4));
            await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.get() == 1);

            AtomicInteger attempts = new AtomicInteger();
            next.subscribe(q, e -> attempts.set((int) e.attempt()));
            await().atMost(Duration.ofSeconds(15)).until(() -> attempts.get() == 2);
        }
    }

    static void publishNumbered(AzureQueueBroker broker, String q, int count) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                sends.add(pool.submit(() -> broker.publish(q, new Message(Map.of("n", Integer.toString(n)),
                        Integer.toString(n).getBytes(StandardCharsets.UTF_8)))));
            }
            for (Future<?> send : sends) {
                send.get();
            }
        }
    }

    static int number(Message message) {
        int n = Integer.parseInt(new String(message.body(), StandardCharsets.UTF_8));
        assertThat(message.header("n")).isEqualTo(Integer.toString(n));
        return n;
    }
}
