package io.meshplay.testing.contract;

import static io.meshplay.testing.contract.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerException;
import io.meshplay.broker.Message;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueBrowsing;
import io.meshplay.broker.QueuedMessage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every broker plug-in promises, as tests: a plug-in's test class extends this and says how to open
 * a handle on the broker under test ({@link #newBroker()}; the other hooks are in
 * {@link BrokerDeliveryContract}, whose delivery, close and outage cases it inherits). The capability cases
 * here run for the capabilities the broker offers and are skipped, saying so, for the others. See
 * {@code docs/writing-a-plugin.md}.
 */
public abstract class BrokerContract extends BrokerDeliveryContract {

    // long enough that a taken message cannot come back during the case on any broker
    private static final Duration TAKE_VISIBILITY = Duration.ofSeconds(30);

    @Test
    void queueAdministrationCountsTakesAndPurgesAndEndsWithItsBroker() {
        Broker broker = open();
        QueueAdministration admin = broker.queueAdministration().orElse(null);
        Assumptions.assumeTrue(admin != null, "broker '" + broker.type() + "' offers no queueAdministration() capability");
        String topic = topic("admin");
        for (int i = 0; i < 3; i++) {
            broker.publish(topic, new Message(Map.of(Message.MESSAGE_ID, "m-" + i), text("body " + i)));
        }
        await().atMost(patience()).until(() -> admin.length(topic) == 3);

        List<QueuedMessage> taken = new CopyOnWriteArrayList<>();
        assertThat(admin.take(topic, 1, TAKE_VISIBILITY, taken::add)).isEqualTo(1);
        assertThat(taken).singleElement().satisfies(m -> {
            String id = m.message().header(Message.MESSAGE_ID);
            assertThat(id).isIn("m-0", "m-1", "m-2");
            assertThat(m.message().body()).isEqualTo(text("body " + id.substring(2)));
            assertThat(m.dequeueCount()).isEqualTo(1);
            assertThat(m.problem()).isNull();
        });
        await().atMost(patience()).until(() -> admin.length(topic) == 2);
        IllegalStateException refusal = new IllegalStateException("cannot move it now");
        assertThatThrownBy(() -> admin.take(topic, 5, TAKE_VISIBILITY, m -> {
            throw refusal;
        })).isSameAs(refusal);
        assertThat(admin.length(topic)).as("a refused message stays").isEqualTo(2);

        admin.purge(topic);
        await().atMost(patience()).until(() -> admin.length(topic) == 0);
        assertThat(admin.take(topic, 5, TAKE_VISIBILITY, m -> { })).as("an empty queue ends the take at once").isZero();
        broker.close();
        assertThatThrownBy(() -> admin.length(topic)).isInstanceOfAny(IllegalStateException.class, BrokerException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void queueBrowsingShowsMessagesWithoutDeliveringThem() {
        Broker broker = open();
        QueueBrowsing browsing = broker.queueBrowsing().orElse(null);
        Assumptions.assumeTrue(browsing != null, "broker '" + broker.type() + "' offers no queueBrowsing() capability");
        String topic = topic("browsed");
        broker.publish(topic, new Message(Map.of(Message.MESSAGE_ID, "m-1", Message.CONTENT_TYPE, "text/plain"), text("one")));
        broker.publish(topic, new Message(Map.of(Message.MESSAGE_ID, "m-2", Message.CONTENT_TYPE, "text/plain"), text("two")));

        for (int look = 0; look < 2; look++) {
            List<QueuedMessage> seen = await().atMost(patience()).until(() -> browsing.peek(topic, 32), l -> l.size() == 2);
            assertThat(seen).extracting(m -> m.message().header(Message.MESSAGE_ID)).containsExactlyInAnyOrder("m-1", "m-2");
            assertThat(seen).allSatisfy(m -> {
                assertThat(m.dequeueCount()).as("peeking is no delivery").isZero();
                assertThat(m.problem()).isNull();
                assertThat(m.message().header(Message.CONTENT_TYPE)).isEqualTo("text/plain");
            });
        }
        assertThat(browsing.peek(topic, 1)).hasSize(1);
        Inbox inbox = new Inbox();
        broker.subscribe(topic, inbox);
        await().atMost(patience()).until(() -> inbox.count() >= 2);
        assertThat(inbox.attempts()).as("first deliveries, however often they were peeked at").containsOnly(1L);

        broker.close();
        assertThatThrownBy(() -> browsing.peek(topic, 1)).isInstanceOfAny(IllegalStateException.class, BrokerException.class)
                .hasMessageContaining("closed");
    }
}
