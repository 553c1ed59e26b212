package io.meshplay.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts poisoned messages back on their source queue, as the operator asks once the handler is fixed: each is taken
 * off {@code <queue>-poison}, published to {@code <queue>} without the poison headers (so it is handled afresh, with
 * a fresh attempt count) and only then deleted, so a failed publish leaves it in the poison queue. A truncated copy
 * ({@link Poison#TRUNCATED}) is not the original and is never replayed: the replay stops there and leaves it.
 * Shared by the CLI ({@code meshplay poison <queue> replay}) and the dashboard.
 */
public final class PoisonReplay {

    /** The headers {@link Poison#wrap} adds, which the replayed message must not carry. */
    public static final List<String> POISON_HEADERS = List.of(Poison.REASON, Poison.HANDLER, Poison.ERROR, Poison.SOURCE,
            Poison.ATTEMPTS);

    /**
     * One replayed message.
     *
     * @param queueId   the poison queue's id for the copy that was deleted
     * @param messageId its {@link Message#MESSAGE_ID}, or null when it had none
     */
    public record Replayed(String queueId, String messageId) {
    }

    /**
     * What a replay did.
     *
     * @param replayed      the messages now back on the source queue, in the order they were moved
     * @param truncatedCopy the copy the replay stopped at, still in the poison queue; empty when it did not stop early
     */
    public record Result(List<Replayed> replayed, Optional<QueuedMessage> truncatedCopy) {
        public Result {
            replayed = List.copyOf(replayed);
            Objects.requireNonNull(truncatedCopy, "truncatedCopy");
        }
    }

    private PoisonReplay() {
    }

    /**
     * Replays up to {@code max} messages of {@code queue}'s poison queue onto {@code queue}.
     *
     * @param visibility how long a message being moved stays hidden from others; far longer than one publish takes
     * @throws QueueNotFoundException when the poison queue does not exist (nothing was poisoned yet)
     * @throws BrokerException        when taking or publishing fails; what was moved before stays moved
     */
    public static Result replay(Broker broker, QueueAdministration queues, String queue, int max, Duration visibility) {
        if (max < 1) {
            throw new IllegalArgumentException("replay at least 1 message, was " + max);
        }
        List<Replayed> replayed = new ArrayList<>();
        try {
            queues.take(Poison.queueOf(queue), max, visibility, message -> {
                if (message.message().headers().containsKey(Poison.TRUNCATED)) {
                    // its body is the start of the original only: replaying it would deliver a message nobody sent
                    throw new StopAtTruncated(message);
                }
                Message original = original(message.message());
                broker.publish(queue, original);
                replayed.add(new Replayed(message.id(), original.header(Message.MESSAGE_ID)));
            });
        } catch (StopAtTruncated stop) {
            return new Result(replayed, Optional.of(stop.copy));
        }
        return new Result(replayed, Optional.empty());
    }

    /** The message as it was published to its source queue: the poisoned copy without the poison headers. */
    public static Message original(Message poisoned) {
        Map<String, String> headers = new HashMap<>(poisoned.headers());
        POISON_HEADERS.forEach(headers::remove);
        return new Message(headers, poisoned.body());
    }

    /** Ends the take at a copy that must not be replayed; take() leaves that copy in the queue. */
    private static final class StopAtTruncated extends RuntimeException {
        private final transient QueuedMessage copy;

        StopAtTruncated(QueuedMessage copy) {
            super("truncated copy " + copy.id(), null, false, false);
            this.copy = copy;
        }
    }
}
