package io.meshplay.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.meshplay.config.MeshplayConfig;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The memory broker's queue administration, asked for through the Broker API as tools ask for it. */
class MemoryQueueAdministrationTest {

    private static final Duration VISIBILITY = Duration.ofSeconds(30);

    @RegisterExtension
    final Closer closer = new Closer();

    // a name of its own, so other tests in this JVM do not share these topics
    private final String name = "admin-" + UUID.randomUUID();

    private Broker handle() {
        return closer.add(Brokers.create(MeshplayConfig.of(Map.of("broker.memory.name", name)).get("broker")));
    }

    private static Message message(String id) {
        return new Message(Map.of(Message.MESSAGE_ID, id), id.getBytes());
    }

    @Test
    void offersAdministrationButNotBrowsing() {
        Broker broker = handle();

        assertThat(broker.queueAdministration()).isPresent();
        assertThat(broker.queueBrowsing()).as("the CLI documents that the memory broker cannot peek").isEmpty();
    }

    @Test
    void lengthCountsDelayedMessagesButTakeOnlyVisibleOnes() {
        Broker publisher = handle();
        QueueAdministration admin = handle().queueAdministration().orElseThrow();
        publisher.publish("q", message("now-1"));
        publisher.publish("q", message("now-2"));
        publisher.publish("q", message("later"), PublishOptions.DEFAULT.withVisibilityDelay(Duration.ofHours(1)));

        assertThat(admin.length("q")).isEqualTo(3);
        List<QueuedMessage> taken = new CopyOnWriteArrayList<>();
        assertThat(admin.take("q", 10, VISIBILITY, taken::add)).isEqualTo(2);

        assertThat(taken).extracting(m -> m.message().header(Message.MESSAGE_ID)).containsExactlyInAnyOrder("now-1", "now-2");
        assertThat(taken).allSatisfy(m -> {
            assertThat(m.dequeueCount()).isEqualTo(1);
            assertThat(m.problem()).isNull();
        });
        assertThat(admin.length("q")).as("the delayed one stays").isEqualTo(1);
        assertThat(admin.length("never-used")).isZero();
    }

    @Test
    void takeStopsAtMaxAndAConsumerThatThrowsLeavesItsMessage() {
        Broker broker = handle();
        QueueAdministration admin = broker.queueAdministration().orElseThrow();
        for (int i = 0; i < 3; i++) {
            broker.publish("q", message("m-" + i));
        }

        assertThat(admin.take("q", 1, VISIBILITY, m -> { })).isEqualTo(1);
        assertThat(admin.length("q")).isEqualTo(2);
        IllegalStateException refusal = new IllegalStateException("cannot move it now");
        assertThatThrownBy(() -> admin.take("q", 5, VISIBILITY, m -> {
            throw refusal;
        })).isSameAs(refusal);
        assertThat(admin.length("q")).as("back in the topic, nothing lost").isEqualTo(2);
        assertThat(admin.take("q", 5, VISIBILITY, m -> { })).isEqualTo(2);
    }

    @Test
    void purgeEmptiesOnlyThatQueue() {
        Broker broker = handle();
        QueueAdministration admin = broker.queueAdministration().orElseThrow();
        broker.publish("q-poison", message("bad"));
        broker.publish("q-poison", message("worse"));
        broker.publish("q", message("good"));

        admin.purge("q-poison");

        assertThat(admin.length("q-poison")).isZero();
        assertThat(admin.length("q")).isEqualTo(1);
    }

    @Test
    void endsWithItsHandleWhileTheMessagesStay() {
        Broker publisher = handle();
        Broker tool = handle();
        QueueAdministration admin = tool.queueAdministration().orElseThrow();
        publisher.publish("q", message("kept"));

        tool.close();

        assertThatThrownBy(() -> admin.length("q")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> admin.take("q", 1, VISIBILITY, m -> { })).isInstanceOf(IllegalStateException.class);
        assertThat(publisher.queueAdministration().orElseThrow().length("q")).isEqualTo(1);
    }
}
