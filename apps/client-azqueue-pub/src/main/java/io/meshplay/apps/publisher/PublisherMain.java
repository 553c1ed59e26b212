package io.meshplay.apps.publisher;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.codec.TypedBroker;
import io.meshplay.config.AppArgs;
import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.config.Startup;
import io.meshplay.example.proto.Message;

/** Publishes {@code Message{say: <timestamp>}} to sample-queue every second (go-micro's publisher example). */
public final class PublisherMain {

    private static final Option<String> TOPIC = Option.string("publisher.topic", "queue to publish to").defaultValue("sample-queue");
    private static final Option<Duration> INTERVAL = Option.duration("publisher.interval", "time between messages")
            .defaultValue(Duration.ofSeconds(1));

    private PublisherMain() {
    }

    public static void main(String[] args) {
        Startup.run("client-azqueue-pub", args, PublisherMain::run);
    }

    private static void run(String[] args) {
        LogConfig.configureRuntime();
        AppArgs cli = AppArgs.parse("client-azqueue-pub", "publishes a Message to sample-queue every second",
                Map.of("count", "stop after this many messages (default: run until stopped)"), Options.of(TOPIC, INTERVAL), args);
        Config config = cli.loadConfig();
        String topic = TOPIC.get(config);
        Duration interval = INTERVAL.get(config);
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
