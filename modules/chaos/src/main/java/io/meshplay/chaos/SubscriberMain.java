package io.meshplay.chaos;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.helidon.config.Config;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.Message;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.config.MeshplayConfig;

/**
 * The lab's subscriber, on the queue host: journals {@code H <id> <attempt>} when a handler starts and
 * {@code A <id>} when it returns (the broker then acks). The first attempt of 30% of the messages fails,
 * chosen by message id so a run is reproducible; a handler takes ~20 ms so a SIGKILL lands mid-handler.
 *
 * <p>Usage: {@code SubscriberMain <queue-endpoint> <lab-dir>}
 */
public final class SubscriberMain {

    static final String TOPIC = "chaos-events";

    private SubscriberMain() {
    }

    /** Deterministic: the same ids fail their first attempt in every run. */
    static boolean failsFirstAttempt(String id) {
        return Math.floorMod(id.hashCode() * 0x9E3779B1, 100) < 30;
    }

    public static void main(String[] args) throws Exception {
        Config config = MeshplayConfig.of(Map.of("broker.type", "azqueue", "broker.azqueue.endpoint", args[0],
                // the lab's short delays: a message of a killed handler is visible again after 10 s (5 s let a
                // machine stall of that length expose received, not yet handled messages again: acked twice)
                "broker.azqueue.visibility-timeout", "10s", "broker.azqueue.retry-backoff", "1s",
                "broker.azqueue.max-retry-backoff", "2s", "broker.azqueue.max-polling-interval", "500ms",
                "broker.azqueue.max-attempts", "10"));
        Journal journal = new Journal(Path.of(args[1], "handled.log"));
        Broker broker = Brokers.create(config.get("broker"));
        Subscription subscription = broker.subscribe(TOPIC, event -> {
            String id = event.message().header(Message.MESSAGE_ID);
            journal.line("H " + id + " " + event.attempt());
            Thread.sleep(20); // the handler's work: a window for the mid-handler kill
            if (event.attempt() == 1 && failsFirstAttempt(id)) {
                throw new IllegalStateException("planned first-attempt failure of " + id);
            }
            journal.line("A " + id);
        }, SubscribeOptions.defaults().withConcurrency(8).withName("chaos-subscriber"));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            subscription.close();
            broker.close();
            journal.close();
            stop.countDown();
        }));
        System.out.println("subscribed to " + TOPIC);
        stop.await();
    }
}
