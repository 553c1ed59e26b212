package io.meshplay.broker.azqueue;

import static io.meshplay.broker.azqueue.TestBrokers.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.meshplay.broker.Event;
import io.meshplay.broker.Message;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.retry.OutageLog;
import io.meshplay.testing.Processes;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Outages and crashes: Azurite restarting under a subscriber, a consumer process killed with SIGKILL. */
@ExtendWith(AzuriteExtension.class)
class ResilienceTest {

    @Test
    void subscriberResumesAfterAzuriteRestarts(Azurite azurite) {
        String q = queue("restart");
        List<LogRecord> outageLog = capture(OutageLog.class.getName());
        try (AzureQueueBroker broker = TestBrokers.broker(azurite, "max-polling-interval", "200ms")) {
            // distinct messages, not deliveries: a delete still in flight when Azurite stops is lost with it, and
            // that message is delivered again (at least once), which must not read as "never resumed"
            Set<Byte> handled = ConcurrentHashMap.newKeySet();
            Subscription subscription = broker.subscribe(q, e -> handled.add(e.message().body()[0]));
            for (int i = 0; i < 5; i++) {
                broker.publish(q, Message.of(new byte[] {(byte) i}));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 5);

            azurite.stop();
            // the subscriber polls a dead port for a while: it must log the outage once, not per poll
            await().atMost(Duration.ofSeconds(20)).until(() -> BrokerMetrics.of(q).faults.count() >= 3);
            azurite.start();
            for (int i = 5; i < 10; i++) {
                broker.publish(q, Message.of(new byte[] {(byte) i}));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 10);
            assertThat(subscription.active()).isTrue();
            assertThat(outageLog.stream().filter(r -> r.getMessage().contains("receive from queue '" + q + "' failed")))
                    .as("one line for the whole outage").hasSize(1)
                    .allSatisfy(r -> assertThat(r.getLevel()).isEqualTo(Level.WARNING));
            assertThat(outageLog.stream().filter(r -> r.getMessage().contains("receive from queue '" + q + "' works again")))
                    .hasSize(1);
        }
    }

    @Test
    void messageOfAConsumerKilledMidHandlingGoesToANewConsumer(Azurite azurite) throws Exception {
        String q = queue("killed");
        Path marker = Files.createTempDirectory("azqueue-kill").resolve("handling");
        try (AzureQueueBroker broker = TestBrokers.broker(azurite)) {
            broker.publish(q, new Message(Map.of(Message.MESSAGE_ID, "m-1"), "survivor".getBytes(StandardCharsets.UTF_8)));

            String java = ProcessHandle.current().info().command().orElse("java");
            Process consumer = Processes.start(List.of(java, "-cp", System.getProperty("java.class.path"),
                            KilledConsumerMain.class.getName(), azurite.endpoint(), q, marker.toString()),
                    Path.of("."), Path.of("target", "killed-consumer-" + q + ".log"), Map.of());
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(marker) || !consumer.isAlive());
                assertThat(consumer.isAlive()).as("consumer running; see target/killed-consumer-*.log").isTrue();
                assertThat(Files.readString(marker)).isEqualTo("m-1 1");
            } finally {
                assertThat(Processes.kill(consumer.pid())).isTrue(); // SIGKILL: no shutdown hook, no hand-back
            }
            long killedAt = System.nanoTime();

            BlockingQueue<Event> events = new LinkedBlockingQueue<>();
            broker.subscribe(q, events::add, SubscribeOptions.defaults().withName("successor"));
            Event event = await().atMost(Duration.ofSeconds(20)).until(events::poll, e -> e != null);
            Duration waited = Duration.ofNanos(System.nanoTime() - killedAt);

            assertThat(event.message().header(Message.MESSAGE_ID)).isEqualTo("m-1");
            assertThat(new String(event.message().body(), StandardCharsets.UTF_8)).isEqualTo("survivor");
            assertThat(event.attempt()).isEqualTo(2);
            // the dead consumer's last renewal kept it invisible for up to another visibility timeout
            assertThat(waited).isGreaterThan(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).until(() -> BrokerMetrics.of(q).acked.count() == 1);
        }
    }

    /** JUL holds loggers weakly: keep ours, or the handler goes with a collected logger. */
    private static final List<Logger> KEPT = new CopyOnWriteArrayList<>();

    private static List<LogRecord> capture(String loggerName) {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(loggerName);
        KEPT.add(logger);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return records;
    }
}
