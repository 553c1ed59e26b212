package io.meshplay.broker.azqueue;

import static io.meshplay.broker.azqueue.TestBrokers.broker;
import static io.meshplay.broker.azqueue.TestBrokers.queue;
import static io.meshplay.broker.azqueue.TestBrokers.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.azure.storage.queue.models.QueueStorageException;
import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerException;
import io.meshplay.broker.Message;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueBrowsing;
import io.meshplay.broker.QueueNotFoundException;
import io.meshplay.broker.QueuedMessage;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The broker's queue administration and browsing, asked for through the Broker API, against a real Azurite. */
@ExtendWith(AzuriteExtension.class)
class QueueAdministrationTest {

    private static final Duration VISIBILITY = Duration.ofSeconds(30);
    private final List<Broker> brokers = new ArrayList<>();

    @AfterEach
    void close() {
        brokers.forEach(Broker::close);
    }

    private Broker open(Azurite azurite, String... overrides) {
        Broker broker = broker(azurite, overrides);
        brokers.add(broker);
        return broker;
    }

    private static Message message(String id, String body) {
        return new Message(Map.of(Message.MESSAGE_ID, id, Message.CONTENT_TYPE, "text/plain"), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void peekShowsDecodedMessagesWithoutConsumingThem(Azurite azurite) {
        Broker broker = open(azurite);
        String q = queue("peek");
        broker.publish(q, message("m-1", "one"));
        broker.publish(q, message("m-2", "two"));
        QueueBrowsing browsing = broker.queueBrowsing().orElseThrow();

        for (int look = 0; look < 2; look++) {
            List<QueuedMessage> seen = browsing.peek(q, 32);

            assertThat(seen).extracting(m -> m.message().header(Message.MESSAGE_ID)).containsExactly("m-1", "m-2");
            assertThat(seen).allSatisfy(m -> {
                assertThat(m.id()).isNotBlank();
                assertThat(m.dequeueCount()).as("peeking never dequeues").isZero();
                assertThat(m.insertedAt()).isNotNull();
                assertThat(m.problem()).isNull();
                assertThat(m.message().header(Message.CONTENT_TYPE)).isEqualTo("text/plain");
            });
            assertThat(new String(seen.getFirst().message().body(), StandardCharsets.UTF_8)).isEqualTo("one");
        }
        assertThat(browsing.peek(q, 1)).hasSize(1);
    }

    @Test
    void peekShowsTextTheBrokerCannotReadAsIsWithTheReason(Azurite azurite) {
        Broker broker = open(azurite);
        String q = queue("garbled");
        broker.publish(q, message("m-1", "fine")); // creates the queue the broker's way
        raw(azurite, q).sendMessage("{not an envelope");

        List<QueuedMessage> seen = broker.queueBrowsing().orElseThrow().peek(q, 32);

        QueuedMessage garbled = seen.get(1);
        assertThat(garbled.problem()).contains("not valid JSON");
        assertThat(garbled.message().headers()).isEmpty();
        assertThat(new String(garbled.message().body(), StandardCharsets.UTF_8)).isEqualTo("{not an envelope");
    }

    @Test
    void lengthTakeAndPurge(Azurite azurite) {
        Broker broker = open(azurite);
        String q = queue("admin");
        for (int i = 0; i < 3; i++) {
            broker.publish(q, message("m-" + i, "body " + i));
        }
        QueueAdministration admin = broker.queueAdministration().orElseThrow();
        assertThat(admin.length(q)).isEqualTo(3);

        List<QueuedMessage> taken = new ArrayList<>();
        assertThat(admin.take(q, 1, VISIBILITY, taken::add)).isEqualTo(1);
        assertThat(taken).singleElement().satisfies(m -> {
            assertThat(m.message().header(Message.MESSAGE_ID)).isEqualTo("m-0");
            assertThat(m.dequeueCount()).isEqualTo(1);
        });
        assertThat(admin.length(q)).as("taken means deleted").isEqualTo(2);

        IllegalStateException refusal = new IllegalStateException("cannot move it now");
        assertThatThrownBy(() -> admin.take(q, 5, VISIBILITY, m -> {
            throw refusal;
        })).isSameAs(refusal);
        // Azure's count includes received, not yet visible messages: the refused one is still there
        assertThat(admin.length(q)).isEqualTo(2);

        admin.purge(q);
        assertThat(admin.length(q)).isZero();
        assertThat(admin.take(q, 5, VISIBILITY, m -> { })).as("an empty queue ends the take at once").isZero();
    }

    @Test
    void aMissingQueueIsNotFoundAndNeverCreated(Azurite azurite) {
        Broker broker = open(azurite, "create-queues", "false");
        String q = queue("missing");
        QueueAdministration admin = broker.queueAdministration().orElseThrow();

        assertThatThrownBy(() -> broker.queueBrowsing().orElseThrow().peek(q, 32))
                .isInstanceOf(QueueNotFoundException.class).hasMessage("queue '" + q + "' does not exist");
        assertThatThrownBy(() -> admin.length(q)).isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> admin.take(q, 1, VISIBILITY, m -> { })).isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> admin.purge(q)).isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> raw(azurite, q).getProperties()).as("still no such queue")
                .isInstanceOfSatisfying(QueueStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    }

    @Test
    void badNamesAndBadCredentialsFailClearly(Azurite azurite) {
        QueueAdministration admin = open(azurite).queueAdministration().orElseThrow();
        assertThatThrownBy(() -> admin.length("Bad_Queue")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid queue name 'Bad_Queue'");

        String wrongKey = java.util.Base64.getEncoder().encodeToString("not the key, but 32 bytes long!!".getBytes(StandardCharsets.UTF_8));
        Broker denied = open(azurite, "account-key", wrongKey);
        assertThatThrownBy(() -> denied.queueAdministration().orElseThrow().length("some-queue"))
                .isInstanceOf(BrokerException.class)
                .isNotInstanceOf(QueueNotFoundException.class)
                .hasMessageStartingWith("azqueue: could not count the messages of queue 'some-queue': authentication failed")
                .hasMessageNotContaining(wrongKey);
    }
}
