package io.meshplay.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.Descriptors.Descriptor;
import io.meshplay.broker.Message;
import io.meshplay.broker.QueueBrowsing;
import io.meshplay.broker.QueuedMessage;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshplay subscribe <topic>}: prints messages as they arrive. Without {@code --peek} it is a
 * subscriber like any other and consumes what it prints; with {@code --peek} it only looks.
 */
@Command(name = "subscribe", description = {"Print the messages of a topic (queue) as they arrive.",
        "Without --peek this consumes them (it is one more competing subscriber); with --peek it only looks "
                + "(needs a broker that can browse queues, e.g. azqueue; it shows the first 32 messages in the queue)."})
final class SubscribeCommand extends CliCommand {

    /** How often a peek looks again; messages are not pushed to a peeker. */
    private static final Duration PEEK_INTERVAL = Duration.ofMillis(500);

    @Parameters(index = "0", paramLabel = "<topic>", description = "The topic (queue), e.g. sample-queue.")
    String topic;

    @Option(names = "--peek", description = "Look without consuming (needs a broker that can browse queues, e.g. azqueue).")
    boolean peek;

    @Option(names = "--count", paramLabel = "<n>", description = "Stop after n messages; exit 1 if fewer came within --timeout.")
    Integer count;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "0", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 10s (default 0: none, run until interrupted or until --count).")
    Duration timeout;

    @Option(names = "--type", paramLabel = "<type>", description = "Decode bodies as this message type (by their content-type header).")
    String type;

    @Option(names = "--descriptor", paramLabel = "<file.protoset>", description = "A descriptor set to find --type in.")
    Path descriptor;

    @Override
    protected int run(Session session) throws InterruptedException {
        Names.queue(topic);
        if (count != null && count < 1) {
            throw CliException.usage("--count must be at least 1, was " + count);
        }
        Descriptor decodeAs = type == null ? null : BuiltInTypes.of(descriptor).find(type);
        // a subscriber to a missing queue would wait for it forever
        Queues.requireExisting(session, topic);
        int wanted = count == null ? Integer.MAX_VALUE : count;
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        int seen = peek ? peek(session, decodeAs, wanted, deadline) : consume(session, decodeAs, wanted, deadline);
        if (count != null && seen < count) {
            session.err().println("meshplay: " + seen + " of " + count + " message(s) on '" + topic + "' within " + timeout);
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private int peek(Session session, Descriptor decodeAs, int wanted, long deadline) throws InterruptedException {
        QueueBrowsing queues = session.queueBrowsing();
        Set<String> shown = new HashSet<>();
        while (true) {
            for (QueuedMessage message : queues.peek(topic, 32)) {
                if (shown.size() < wanted && shown.add(message.id())) {
                    print(session, MessageView.of(message, decodeAs));
                }
            }
            long left = deadline - System.nanoTime();
            if (shown.size() >= wanted || left <= 0) {
                return shown.size();
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, PEEK_INTERVAL.toNanos()));
        }
    }

    private int consume(Session session, Descriptor decodeAs, int wanted, long deadline) throws InterruptedException {
        AtomicInteger handled = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        Subscription subscription = session.broker().subscribe(topic, event -> {
            if (handled.get() >= wanted) {
                // not acknowledged: the broker hands it to the next subscriber
                throw new IllegalStateException("the CLI has printed enough messages");
            }
            QueuedMessage message = new QueuedMessage(event.message().header(Message.MESSAGE_ID),
                    event.message(), event.attempt(), null, null);
            print(session, MessageView.of(message, decodeAs));
            if (handled.incrementAndGet() >= wanted) {
                enough.countDown();
            }
        }, new SubscribeOptions(1, "meshplay-cli"));
        try {
            if (deadline == Long.MAX_VALUE) {
                enough.await();
            } else {
                enough.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            subscription.close();
        }
        return handled.get();
    }

    private static void print(Session session, Map<String, Object> view) {
        session.output().event(view, MessageView.line(view));
    }
}
