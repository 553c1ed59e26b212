package io.meshplay.testing.contract;

import static io.meshplay.testing.contract.Waits.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.meshplay.broker.Broker;
import io.meshplay.broker.Message;
import io.meshplay.broker.QueueNotFoundException;

/** What the broker cases ask of a topic beyond publish and subscribe. */
final class Queues {

    private Queues() {
    }

    /**
     * Waits until {@code topic} holds nothing, handled or not yet visible, where the broker can say
     * ({@code queueAdministration()}): once it is empty a handled message cannot come back, so counting
     * deliveries after that sees every duplicate there will be.
     */
    static void awaitEmpty(Broker broker, String topic, Duration patience) {
        if (broker.queueAdministration().isPresent()) {
            await().atMost(patience).until(() -> lengthOrZero(broker, topic) == 0);
        }
    }

    /** The topic's length; 0 for a queue nobody created, or when the broker cannot count. */
    static long lengthOrZero(Broker broker, String topic) {
        return broker.queueAdministration().map(admin -> {
            try {
                return admin.length(topic);
            } catch (QueueNotFoundException e) {
                return 0L;
            }
        }).orElse(0L);
    }

    /** Publishes bodies "0".."count-1" from a few threads at once, as concurrent publishers would. */
    static void publishNumbered(Broker broker, String topic, int count) {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> sends = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] body = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
                sends.add(pool.submit(() -> broker.publish(topic, Message.of(body))));
            }
            for (Future<?> send : sends) {
                send.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while publishing", e);
        } catch (ExecutionException e) {
            throw new AssertionError("publishing to " + topic + " failed", e.getCause());
        }
    }
}
