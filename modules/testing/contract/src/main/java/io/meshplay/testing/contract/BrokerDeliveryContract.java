package io.meshplay.testing.contract;

import static io.meshplay.testing.contract.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerException;
import io.meshplay.broker.BrokerProvider;
import io.meshplay.broker.Event;
import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.broker.PoisonMessageException;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery, close and outage half of the broker contract, with the hooks a plug-in fills; a plug-in's
 * test class extends {@link BrokerContract}, which adds the capability cases. See
 * {@code docs/writing-a-plugin.md}.
 *
 * <p>Delivery is at-least-once and unordered, so nothing here depends on the order of deliveries, and a
 * duplicate is only an error where the case says "under normal operation" (no handler slower than the
 * broker's lease, no outage). Each test uses topics of its own, so the handles of one test class may share
 * one backing service.
 */
public abstract class BrokerDeliveryContract {

    @RegisterExtension
    final Closer closer = new Closer();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger topics = new AtomicInteger();

    /**
     * A new handle on the broker under test, made as an app makes it (from config, through the plug-in's
     * provider, is best). Handles of one test share topics. Configure {@code max-attempts} as
     * {@link #maxAttempts()} says, and a short {@code retry-backoff} and polling interval: never production
     * defaults.
     */
    protected abstract Broker newBroker();

    /** The {@code max-attempts} that {@link #newBroker()} configures. */
    protected int maxAttempts() {
        return 3;
    }

    /** How long a delivery, redelivery or poisoning may take; waits end as soon as it happened. */
    protected Duration patience() {
        return Duration.ofSeconds(20);
    }

    /** How many messages the concurrency case sends through two subscriptions of four workers each. */
    protected int loadMessages() {
        return 200;
    }

    /**
     * A way to make the broker's service unreachable and bring it back, for the outage case. A plug-in that
     * cannot be made to fail keeps this default or aborts with its own reason ({@link Assumptions#abort(String)}).
     */
    protected Outage outage() {
        return Assumptions.abort(getClass().getSimpleName() + " gives no way to make its broker fail (override outage())");
    }

    /** A handle the contract closes after the test, whatever the test did with it. */
    protected final Broker open() {
        return closer.add(newBroker());
    }


    @Test
    void providerIsFoundByServiceLoaderUnderItsType() {
        String type = open().type();
        assertThat(ServiceLoader.load(BrokerProvider.class).stream().map(p -> p.get().type()))
                .as("a BrokerProvider in META-INF/services whose type() is '%s', the broker.type that selects it", type)
                .contains(type);
    }

    @Test
    void everyMessageArrivesOnceWithItsHeadersAndBodyInAnyOrder() {
        Broker broker = open();
        String topic = topic("delivery");
        Inbox inbox = new Inbox();
        broker.subscribe(topic, inbox, SubscribeOptions.defaults().withConcurrency(4));
        int count = 20;
        for (int i = 0; i < count; i++) {
            broker.publish(topic, new Message(Map.of("n", Integer.toString(i), "traceparent", "00-0af7651916cd43dd-b7ad6b71-01",
                    "x-odd", "a\"b\nc é"), bytes(i)));
        }

        await().atMost(patience()).until(() -> inbox.count() >= count);
        assertThat(inbox.events()).hasSize(count).allSatisfy(event -> {
            int n = Integer.parseInt(event.message().header("n"));
            assertThat(event.topic()).isEqualTo(topic);
            assertThat(event.attempt()).isEqualTo(1);
            assertThat(event.message().body()).isEqualTo(bytes(n));
            assertThat(event.message().headers()).containsEntry("traceparent", "00-0af7651916cd43dd-b7ad6b71-01")
                    .containsEntry("x-odd", "a\"b\nc é");
        });
        assertThat(inbox.events()).extracting(e -> e.message().header("n"))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, count).mapToObj(Integer::toString).toList());
    }

    @Test
    void publishStampsMessageIdAndPublishedAtUnlessThePublisherDid() {
        Broker broker = open();
        String topic = topic("stamped");
        Inbox inbox = new Inbox();
        broker.subscribe(topic, inbox);
        Instant before = Instant.now();
        broker.publish(topic, Message.of(text("plain-1")));
        broker.publish(topic, Message.of(text("plain-2")));
        Instant after = Instant.now();
        broker.publish(topic, new Message(Map.of(Message.MESSAGE_ID, "mine", Message.PUBLISHED_AT, "2026-01-01T00:00:00Z"),
                text("own")));

        await().atMost(patience()).until(() -> inbox.distinctBodies().size() == 3);
        Map<String, Message> byBody = new ConcurrentHashMap<>();
        inbox.events().forEach(e -> byBody.put(Inbox.body(e), e.message()));
        for (String plain : List.of("plain-1", "plain-2")) {
            Message message = byBody.get(plain);
            assertThat(message.header(Message.MESSAGE_ID)).isNotBlank();
            // stamped by the publisher's clock, so it lies between the two readings of that clock
            assertThat(Instant.parse(message.header(Message.PUBLISHED_AT))).isBetween(before, after);
        }
        assertThat(byBody.get("plain-1").header(Message.MESSAGE_ID)).isNotEqualTo(byBody.get("plain-2").header(Message.MESSAGE_ID));
        assertThat(byBody.get("own").headers()).containsEntry(Message.MESSAGE_ID, "mine")
                .containsEntry(Message.PUBLISHED_AT, "2026-01-01T00:00:00Z");
    }

    @Test
    void competingConsumersHandleEachMessageOnce() {
        Broker first = open();
        Broker second = open();
        String topic = topic("competing");
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        first.subscribe(topic, a, SubscribeOptions.defaults().withConcurrency(2).withName("first"));
        second.subscribe(topic, b, SubscribeOptions.defaults().withConcurrency(2).withName("second"));
        int count = 40;
        for (int i = 0; i < count; i++) {
            first.publish(topic, Message.of(text("m-" + i)));
        }

        await().atMost(patience()).until(() -> a.count() + b.count() >= count);
        Queues.awaitEmpty(first, topic, patience());
        assertThat(a.count() + b.count()).as("each message handled by one subscription, once").isEqualTo(count);
        List<String> all = new ArrayList<>(a.distinctBodies());
        all.addAll(b.distinctBodies());
        assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, count).mapToObj(i -> "m-" + i).toList());
    }

    @Test
    void aFailedHandlerGetsTheMessageAgainWithAHigherAttempt() {
        Broker broker = open();
        String topic = topic("redelivered");
        Inbox inbox = new Inbox(event -> {
            if (event.attempt() == 1) {
                throw new IllegalStateException("the first try fails");
            }
        });
        broker.subscribe(topic, inbox);
        broker.publish(topic, Message.of(text("again")));

        await().atMost(patience()).until(() -> inbox.count() >= 2);
        assertThat(inbox.attempts()).containsExactly(1L, 2L);
        assertThat(inbox.events()).extracting(e -> e.message().header(Message.MESSAGE_ID)).as("the same message").doesNotContainNull()
                .containsOnly(inbox.events().getFirst().message().header(Message.MESSAGE_ID));
        Queues.awaitEmpty(broker, topic, patience());
        assertThat(Queues.lengthOrZero(broker, Poison.queueOf(topic))).as("nothing poisoned").isZero();
    }

    @Test
    void aMessageThatKeepsFailingIsPoisonedAfterMaxAttemptsWithThePoisonHeaders() {
        Broker broker = open();
        String topic = topic("failing");
        Inbox failing = new Inbox(event -> {
            throw new IllegalStateException("boom " + event.attempt());
        });
        broker.subscribe(topic, failing, SubscribeOptions.defaults().withName("contract-failing"));
        Inbox poison = new Inbox();
        broker.subscribe(Poison.queueOf(topic), poison);
        broker.publish(topic, new Message(Map.of("traceparent", "00-1-2-01"), text("payload")));

        await().atMost(patience()).until(() -> poison.count() >= 1);
        int max = maxAttempts();
        assertThat(failing.attempts()).containsExactlyElementsOf(LongStream.rangeClosed(1, max).boxed().toList());
        Message poisoned = poison.events().getFirst().message();
        assertThat(poisoned.body()).isEqualTo(text("payload"));
        assertThat(poisoned.headers())
                .containsEntry("traceparent", "00-1-2-01")
                .containsEntry(Message.MESSAGE_ID, failing.events().getFirst().message().header(Message.MESSAGE_ID))
                .containsEntry(Poison.REASON, "handler failed " + max + " times (max-attempts " + max + ")")
                .containsEntry(Poison.HANDLER, "contract-failing")
                .containsEntry(Poison.ERROR, "java.lang.IllegalStateException: boom " + max)
                .containsEntry(Poison.SOURCE, topic)
                .containsEntry(Poison.ATTEMPTS, Integer.toString(max));
        Queues.awaitEmpty(broker, topic, patience());
    }

    @Test
    void aPoisonMessageExceptionPoisonsAtOnce() {
        Broker broker = open();
        String topic = topic("rejected");
        Inbox rejecting = new Inbox(event -> {
            throw new PoisonMessageException("unknown schema v9");
        });
        broker.subscribe(topic, rejecting, SubscribeOptions.defaults().withName("contract-rejecting"));
        Inbox poison = new Inbox();
        broker.subscribe(Poison.queueOf(topic), poison);
        broker.publish(topic, Message.of(text("v9")));

        await().atMost(patience()).until(() -> poison.count() >= 1);
        assertThat(rejecting.attempts()).containsExactly(1L);
        assertThat(poison.events().getFirst().message().headers())
                .containsEntry(Poison.REASON, "handler rejected the message: unknown schema v9")
                .containsEntry(Poison.HANDLER, "contract-rejecting")
                .containsEntry(Poison.SOURCE, topic)
                .containsEntry(Poison.ATTEMPTS, "1")
                .containsEntry(Poison.ERROR, PoisonMessageException.class.getName() + ": unknown schema v9");
    }

    @Test
    void concurrencyIsBoundedPerSubscriptionAndEveryMessageIsHandledOnce() {
        int workers = 4;
        int count = loadMessages();
        Broker first = open();
        Broker second = open();
        String topic = topic("load");
        Queues.publishNumbered(first, topic, count);
        // the first wave holds its messages until every worker of both subscriptions has one: proof they run at once
        CountDownLatch allBusy = new CountDownLatch(2 * workers);
        Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        List<Workers> subscriptions = List.of(new Workers(), new Workers());
        for (int s = 0; s < 2; s++) {
            Workers own = subscriptions.get(s);
            (s == 0 ? first : second).subscribe(topic, event -> own.run(() -> {
                allBusy.countDown();
                allBusy.await(patience().toMillis(), TimeUnit.MILLISECONDS);
                handled.computeIfAbsent(Inbox.body(event), k -> new AtomicInteger()).incrementAndGet();
            }), SubscribeOptions.defaults().withConcurrency(workers).withName("load-" + s));
        }

        await().atMost(patience()).until(() -> handled.size() == count);
        Queues.awaitEmpty(first, topic, patience());
        assertThat(allBusy.getCount()).as("workers that never held a message while the others did").isZero();
        assertThat(subscriptions).allSatisfy(w -> assertThat(w.most()).as("handlers at once in one subscription").isEqualTo(workers));
        assertThat(handled.keySet()).containsExactlyInAnyOrderElementsOf(IntStream.range(0, count).mapToObj(Integer::toString).toList());
        assertThat(handled.values()).allSatisfy(n -> assertThat(n).as("handled exactly once").hasValue(1));
    }

    @Test
    void aClosedSubscriptionGetsNothingMoreAndLeavesNewMessagesForOthers() {
        Broker broker = open();
        String topic = topic("unsubscribed");
        Inbox first = new Inbox();
        Subscription subscription = broker.subscribe(topic, first, SubscribeOptions.defaults().withConcurrency(1));
        broker.publish(topic, Message.of(text("before")));
        await().atMost(patience()).until(() -> first.count() >= 1);
        assertThat(subscription.topic()).isEqualTo(topic);
        assertThat(subscription.active()).isTrue();

        subscription.close();
        subscription.close();
        assertThat(subscription.active()).isFalse();
        broker.publish(topic, Message.of(text("after")));
        Inbox next = new Inbox();
        broker.subscribe(topic, next);

        await().atMost(patience()).until(() -> next.distinctBodies().contains("after"));
        assertThat(first.distinctBodies()).containsExactly("before");
        assertThat(next.events()).filteredOn(e -> Inbox.body(e).equals("after")).extracting(Event::attempt).containsExactly(1L);
    }

    @Test
    void closingABrokerClosesItsSubscriptionsOnlyAndRefusesUseClearly() {
        Broker a = open();
        Broker b = open();
        String topicA = topic("closed-a");
        String topicB = topic("closed-b");
        Inbox onA = new Inbox();
        Inbox onB = new Inbox();
        Subscription subA = a.subscribe(topicA, onA);
        Subscription subB = b.subscribe(topicB, onB);

        a.close();
        a.close();
        assertThat(subA.active()).isFalse();
        assertThat(subB.active()).isTrue();
        b.publish(topicB, Message.of(text("to-b")));
        b.publish(topicA, Message.of(text("kept")));
        await().atMost(patience()).until(() -> onB.distinctBodies().contains("to-b"));
        // messages belong to the topic, not to a handle: a later subscriber gets what the closed one did not take
        Inbox later = new Inbox();
        open().subscribe(topicA, later);
        await().atMost(patience()).until(() -> later.distinctBodies().contains("kept"));
        assertThat(onA.count()).isZero();

        for (Runnable use : List.<Runnable>of(() -> a.publish(topicA, Message.of(text("late"))), () -> a.subscribe(topicA, new Inbox()))) {
            assertThatThrownBy(use::run).isInstanceOfAny(IllegalStateException.class, BrokerException.class)
                    .hasMessageContaining("closed");
        }
        assertThat(a.type()).isNotBlank();
    }

    @Test
    void aSubscriptionOutlivesAnOutageOfItsService() {
        Outage outage = outage();
        Broker broker = open();
        String topic = topic("outage");
        Inbox inbox = new Inbox();
        Subscription subscription = broker.subscribe(topic, inbox);
        broker.publish(topic, Message.of(text("before")));
        await().atMost(patience()).until(() -> inbox.distinctBodies().contains("before"));

        outage.begin();
        outage.end();
        broker.publish(topic, Message.of(text("after")));

        // receiving failed meanwhile; the subscription retries rather than ending
        await().atMost(patience()).until(() -> inbox.distinctBodies().contains("after"));
        assertThat(subscription.active()).isTrue();
    }

    /** A topic no other test uses, valid for every broker here (Azure: lower case, digits, single dashes, short). */
    protected final String topic(String hint) {
        return "contract-" + hint + "-" + run + "-" + topics.incrementAndGet();
    }

    protected static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes no text encoding would survive, so a broker that mangles the body shows it. */
    private static byte[] bytes(int n) {
        return new byte[] {0, (byte) 0xff, '{', '"', (byte) n};
    }
}
