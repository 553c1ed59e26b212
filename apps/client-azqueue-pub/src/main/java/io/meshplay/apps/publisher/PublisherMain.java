package io.meshplay.apps.publisher;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.codec.TypedBroker;
import io.meshplay.config.AppArgs;
import io.meshplay.config.Durations;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.Message;

/** Publishes {@code Message{say: <timestamp>}} to sample-queue every second (go-micro's publisher example). */
public final class PublisherMain {

    private PublisherMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("publisher.topic", "queue to publish to (default sample-queue)");
        keys.put("publisher.interval", "time between messages (default 1s)");
        keys.putAll(AppArgs.commonKeys());
        AppArgs cli = AppArgs.parse("client-azqueue-pub", "publishes a Message to sample-queue every second",
                Map.of("count", "stop after this many messages (default: run until stopped)"), keys, args);
        Config config = MeshplayConfig.load("client-azqueue-pub", cli.overrides());
        String topic = config.get("publisher.topic").asString().orElse("sample-queue");
        Duration interval = Durations.get(config.get("publisher.interval"), Duration.ofSeconds(1));
        long count = cli.longFlag("count", Long.MAX_VALUE);
        try (Broker broker = Brokers.create(config.get("broker"))) {
            TypedBroker typed = new TypedBroker(broker);
            long next = System.nanoTime();
            for (long i = 1; i <= count; i++) {
                String say = Instant.now().toString();
                String id = typed.publish(topic, Message.newBuilder().setSay(say).build());
                System.out.println("published " + i + " to " + topic + ": say=" + say + " id=" + id);
                if (i < count) {
                    next += interval.toNanos();
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }
        }
    }
}
