package io.meshplay.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonObject;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.codec.TypedBroker;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** publish, subscribe and poison against a real Azurite through the azqueue plug-in. */
@ExtendWith(AzuriteExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerCommandsTest {

    private static final AtomicInteger QUEUES = new AtomicInteger();

    private Map<String, String> settings;
    private Broker broker;
    private Cli cli;

    @BeforeAll
    void start(Azurite azurite) {
        settings = new HashMap<>();
        settings.put("broker.type", "azqueue");
        settings.put("broker.azqueue.account-name", azurite.account());
        settings.put("broker.azqueue.account-key", azurite.key());
        settings.put("broker.azqueue.endpoint", azurite.endpoint());
        settings.put("broker.azqueue.visibility-timeout", "2s");
        settings.put("broker.azqueue.max-attempts", "3");
        settings.put("broker.azqueue.max-polling-interval", "500ms");
        settings.put("broker.azqueue.shutdown-timeout", "2s");
        settings.put("broker.azqueue.request-timeout", "5s");
        // the test's own broker: to prepare queues and to play the app's subscriber
        broker = Brokers.create(MeshplayConfig.of(settings).get("broker"));
        cli = new Cli(settings);
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * A fresh queue that exists, as the source queue of a poison queue does (its subscriber made both);
     * poison commands refuse a missing source queue.
     */
    private String sourceQueue(String prefix) {
        String q = queue(prefix);
        broker.publish(q, Message.of(new byte[] {0}));
        return q;
    }

    /** A fresh queue per test, so tests never see each other's messages. */
    private static String queue(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + QUEUES.incrementAndGet();
    }

    @Test
    void publishThenPeekShowsTheDecodedMessageWithoutConsumingIt() {
        String q = queue("pub");

        Cli.Result published = cli.run("publish", q, "{\"say\":\"hello\"}", "--type", "Message", "-o", "json");

        assertThat(published.exitCode()).as(published.toString()).isZero();
        JsonObject receipt = published.object();
        assertThat(receipt.get("topic").getAsString()).isEqualTo(q);
        assertThat(receipt.get("content-type").getAsString()).isEqualTo("application/protobuf");
        assertThat(receipt.get("type").getAsString()).isEqualTo("Message");
        String id = receipt.get("message-id").getAsString();

        for (int look = 0; look < 2; look++) {
            Cli.Result peek = cli.run("subscribe", q, "--peek", "--count", "1", "--timeout", "10s", "--type", "Message", "-o", "json");

            assertThat(peek.exitCode()).as(peek.toString()).isZero();
            assertThat(peek.lines()).hasSize(1);
            JsonObject message = peek.lines().get(0);
            assertThat(message.getAsJsonObject("body").get("say").getAsString()).isEqualTo("hello");
            assertThat(message.getAsJsonObject("headers").get("message-id").getAsString()).isEqualTo(id);
            assertThat(message.getAsJsonObject("headers").get("content-type").getAsString()).isEqualTo("application/protobuf");
            assertThat(message.get("dequeue-count").getAsLong()).as("peeking never dequeues").isZero();
        }
    }

    @Test
    void publishedMessagesReachTheAppsTypedSubscribers() throws Exception {
        String q = queue("typed");
        List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Subscription ignored = new TypedBroker(broker).subscribe(q, io.meshplay.example.proto.Message.getDefaultInstance(),
                (message, event) -> said.add(message.getSay()), SubscribeOptions.defaults().withName("app"))) {

            assertThat(cli.run("publish", q, "{\"say\":\"as protobuf\"}", "--type", "Message").exitCode()).isZero();
            assertThat(cli.run("publish", q, "{\"say\":\"as json\"}", "--type", "Message", "--content-type", "json").exitCode())
                    .isZero();

            await().atMost(Duration.ofSeconds(10)).until(() -> said.size() == 2);
        }
        assertThat(said).containsExactlyInAnyOrder("as protobuf", "as json");
    }

    @Test
    void subscribeWithoutPeekConsumes() {
        String q = queue("sub");
        cli.run("publish", q, "{\"say\":\"one\"}", "--type", "Message", "--content-type", "json");

        Cli.Result taken = cli.run("subscribe", q, "--count", "1", "--timeout", "10s", "-o", "json");

        assertThat(taken.exitCode()).as(taken.toString()).isZero();
        JsonObject message = taken.lines().get(0);
        assertThat(message.get("body-text").getAsString()).isEqualTo("{\"say\":\"one\"}");
        assertThat(message.getAsJsonObject("headers").get("content-type").getAsString()).isEqualTo("application/json");

        Cli.Result after = cli.run("subscribe", q, "--peek", "--timeout", "1s", "-o", "json");
        assertThat(after.exitCode()).isZero();
        assertThat(after.out()).as("the subscriber acknowledged it").isEmpty();
    }

    @Test
    void subscribeCountNotReachedInTimeFails() {
        String q = queue("few");
        cli.run("publish", q, "{\"say\":\"only\"}", "--type", "Message");

        Cli.Result r = cli.run("subscribe", q, "--peek", "--count", "2", "--timeout", "1s", "-o", "json");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.lines()).hasSize(1);
        assertThat(r.errorLine()).isEqualTo("meshplay: 1 of 2 message(s) on '" + q + "' within PT1S");
    }

    @Test
    void poisonListShowsWhyAndReplayPutsItBack() throws Exception {
        String q = queue("poison");
        // an app subscriber that cannot decode what arrives: TypedBroker sends it to <queue>-poison at once
        try (Subscription ignored = new TypedBroker(broker).subscribe(q, io.meshplay.example.proto.Message.getDefaultInstance(),
                (message, event) -> { }, SubscribeOptions.defaults().withName("example-sample-handler"))) {
            broker.publish(q, new Message(Map.of(Message.CONTENT_TYPE, "application/protobuf", Message.MESSAGE_ID, "bad-1"),
                    new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}));
            await().atMost(Duration.ofSeconds(15)).until(() -> cli.run("poison", q, "list", "-o", "json").array().size() == 1);
        }

        Cli.Result list = cli.run("poison", q, "list", "-o", "json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        JsonObject poisoned = list.array().get(0).getAsJsonObject();
        assertThat(poisoned.get("message-id").getAsString()).isEqualTo("bad-1");
        assertThat(poisoned.get("reason").getAsString()).contains("undecodable: not a valid Message");
        assertThat(poisoned.get("handler").getAsString()).isEqualTo("example-sample-handler");
        assertThat(poisoned.get("attempts").getAsString()).isEqualTo("1");
        assertThat(poisoned.get("source").getAsString()).isEqualTo(q);
        assertThat(poisoned.get("error").getAsString()).isNotBlank();
        assertThat(poisoned.get("body-base64").getAsString()).isEqualTo("////");

        Cli.Result table = cli.run("poison", q, "list");
        assertThat(table.out().lines().toList().get(0)).startsWith("ID").contains("ATTEMPTS", "HANDLER", "REASON", "ERROR");

        Cli.Result replay = cli.run("poison", q, "replay", "-o", "json");
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.array().get(0).getAsJsonObject().get("message-id").getAsString()).isEqualTo("bad-1");
        assertThat(replay.array().get(0).getAsJsonObject().get("replayed-to").getAsString()).isEqualTo(q);

        assertThat(cli.run("poison", q, "list", "-o", "json").array()).as("the poison queue is empty").isEmpty();
        Cli.Result back = cli.run("subscribe", q, "--peek", "--count", "1", "--timeout", "10s", "-o", "json");
        assertThat(back.exitCode()).as(back.toString()).isZero();
        JsonObject headers = back.lines().get(0).getAsJsonObject("headers");
        assertThat(headers.get("message-id").getAsString()).isEqualTo("bad-1");
        assertThat(headers.get("content-type").getAsString()).isEqualTo("application/protobuf");
        assertThat(headers.keySet()).noneMatch(h -> h.startsWith("poison-"));
        assertThat(back.lines().get(0).get("body-base64").getAsString()).as("the body is untouched").isEqualTo("////");
    }

    @Test
    void purgeNeedsConfirmationWithoutATerminal() {
        String q = sourceQueue("purge");
        Message original = new Message(Map.of(Message.MESSAGE_ID, "p-1"), "x".getBytes(StandardCharsets.UTF_8));
        broker.publish(Poison.queueOf(q), Poison.wrap(original, q, "test", "h", new IllegalStateException("boom"), 3));
        broker.publish(Poison.queueOf(q), Poison.wrap(original, q, "test", "h", null, 3));

        Cli.Result refused = cli.run("poison", q, "purge");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.errorLine()).contains("about 2 message(s)", "--yes");
        assertThat(cli.run("poison", q, "list", "-o", "json").array()).hasSize(2);

        Cli.Result purged = cli.run("poison", q, "purge", "--yes", "-o", "json");
        assertThat(purged.exitCode()).as(purged.toString()).isZero();
        assertThat(purged.object().get("purged").getAsLong()).isEqualTo(2);
        assertThat(cli.run("poison", q, "list", "-o", "json").array()).isEmpty();
    }

    @Test
    void purgeAsksAtATerminal() {
        String q = sourceQueue("ask");
        broker.publish(Poison.queueOf(q), Poison.wrap(Message.of(new byte[] {1}), q, "test", "h", null, 1));

        Cli.Result declined = cli.interactive().runWithStdin("n\n", "poison", q, "purge");
        assertThat(declined.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(declined.err()).startsWith("Delete about 1 message(s) from '" + q + "-poison'? [y/N] ")
                .endsWith("meshplay: nothing deleted" + System.lineSeparator());
        assertThat(cli.run("poison", q, "list", "-o", "json").array()).hasSize(1);

        Cli.Result confirmed = cli.interactive().runWithStdin("y\n", "poison", q, "purge", "-o", "json");
        assertThat(confirmed.exitCode()).as(confirmed.toString()).isZero();
        assertThat(cli.run("poison", q, "list", "-o", "json").array()).isEmpty();
    }

    @Test
    void poisonListOfAQueueNeverPoisonedIsEmpty() {
        Cli.Result r = cli.run("poison", sourceQueue("clean"), "list", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.array()).isEmpty();
    }

    @Test
    void poisonOfAMissingQueueIsNotFound() {
        Cli.Result r = cli.run("poison", queue("missing"), "list");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.errorLine()).contains("does not exist");
    }

    @Test
    void peekAtAMissingQueueIsNotFound() {
        Cli.Result r = cli.run("subscribe", queue("missing"), "--peek", "--timeout", "1s");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.errorLine()).contains("does not exist");
    }

    @Test
    void inputErrors() {
        Cli.Result unknownType = cli.run("publish", queue("err"), "{}", "--type", "Mesage");
        assertThat(unknownType.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknownType.errorLine()).contains("no message type 'Mesage' in the example contract", "Message", "Request");

        Cli.Result malformed = cli.run("publish", queue("err"), "{\"say\":", "--type", "Message");
        assertThat(malformed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(malformed.errorLine()).startsWith("meshplay: malformed JSON in the message").contains("line 1 column 8");

        Cli.Result badQueue = cli.run("publish", "Bad_Queue", "{}", "--type", "Message");
        assertThat(badQueue.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badQueue.errorLine()).contains("invalid queue name 'Bad_Queue'");

        Cli.Result poisonName = cli.run("poison", "x-poison", "list");
        assertThat(poisonName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(poisonName.errorLine()).contains("meshplay poison x list");
    }

    @Test
    void peekNeedsABrokerThatCanPeek() {
        Cli.Result r = new Cli(Map.of("broker.type", "memory")).run("subscribe", "sample-queue", "--peek", "--timeout", "1s");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errorLine()).contains("broker 'memory' cannot show messages without consuming them");
    }
}
