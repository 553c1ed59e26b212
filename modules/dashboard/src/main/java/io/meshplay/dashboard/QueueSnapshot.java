package io.meshplay.dashboard;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerException;
import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueBrowsing;
import io.meshplay.broker.QueueNotFoundException;
import io.meshplay.broker.QueuedMessage;

/**
 * The configured queues as the page shows them: how much waits, and what was poisoned and why.
 *
 * @param broker  the broker's type, or empty when the app has none
 * @param queues  one per configured queue, in configuration order
 * @param problem why queues cannot be shown at all (no broker, or one without queue administration)
 */
record QueueSnapshot(Optional<String> broker, List<Queue> queues, Optional<String> problem) {

    /** How many poison messages are listed at most (Azure shows 32 without consuming). */
    static final int PEEK = 32;
    private static final int PREVIEW = 200;

    /**
     * @param length        about how many messages wait; empty when the queue does not exist or could not be read
     * @param poisonLength  the same for {@code <name>-poison}; 0 when it does not exist (nothing was poisoned yet)
     * @param poisoned      the front of the poison queue, unchanged (empty when the broker cannot peek)
     * @param problem       why something about this queue could not be read
     */
    record Queue(String name, OptionalLong length, long poisonLength, List<Poisoned> poisoned, Optional<String> problem) {
        String poisonName() {
            return Poison.queueOf(name);
        }
    }

    /** A poisoned message: what it was and why it was given up. */
    record Poisoned(String queueId, String messageId, String reason, String handler, String error, String attempts,
                    Instant insertedAt, String body, boolean truncated) {
    }

    static QueueSnapshot read(Optional<Broker> broker, List<String> names) {
        if (broker.isEmpty()) {
            return new QueueSnapshot(Optional.empty(), List.of(), Optional.of("no broker is configured"));
        }
        Optional<QueueAdministration> admin = broker.get().queueAdministration();
        if (admin.isEmpty()) {
            return new QueueSnapshot(Optional.of(broker.get().type()), List.of(),
                    Optional.of("broker '" + broker.get().type() + "' cannot tell queue lengths"));
        }
        Optional<QueueBrowsing> browsing = broker.get().queueBrowsing();
        List<Queue> queues = new ArrayList<>();
        for (String name : names) {
            queues.add(queue(admin.get(), browsing, name));
        }
        return new QueueSnapshot(Optional.of(broker.get().type()), List.copyOf(queues), Optional.empty());
    }

    private static Queue queue(QueueAdministration admin, Optional<QueueBrowsing> browsing, String name) {
        long length;
        try {
            length = admin.length(name);
        } catch (QueueNotFoundException e) {
            return new Queue(name, OptionalLong.empty(), 0, List.of(), Optional.of("queue does not exist"));
        } catch (BrokerException | IllegalArgumentException e) {
            return new Queue(name, OptionalLong.empty(), 0, List.of(), Optional.of(e.getMessage()));
        }
        String poison = Poison.queueOf(name);
        try {
            long poisonLength = admin.length(poison);
            if (browsing.isEmpty()) {
                return new Queue(name, OptionalLong.of(length), poisonLength, List.of(), poisonLength == 0 ? Optional.empty()
                        : Optional.of("this broker cannot show the poisoned messages without consuming them"));
            }
            List<Poisoned> poisoned = browsing.get().peek(poison, PEEK).stream().map(QueueSnapshot::poisoned).toList();
            return new Queue(name, OptionalLong.of(length), poisonLength, poisoned, Optional.empty());
        } catch (QueueNotFoundException e) {
            return new Queue(name, OptionalLong.of(length), 0, List.of(), Optional.empty());
        } catch (BrokerException | IllegalArgumentException e) {
            return new Queue(name, OptionalLong.of(length), 0, List.of(), Optional.of(e.getMessage()));
        }
    }

    private static Poisoned poisoned(QueuedMessage queued) {
        Message m = queued.message();
        String reason = queued.problem() != null ? "undecodable: " + queued.problem() : m.header(Poison.REASON);
        return new Poisoned(queued.id(), m.header(Message.MESSAGE_ID), reason, m.header(Poison.HANDLER),
                m.header(Poison.ERROR), m.header(Poison.ATTEMPTS), queued.insertedAt(), preview(m.body()),
                m.headers().containsKey(Poison.TRUNCATED));
    }

    /** The start of the body as text when it is UTF-8 text, else its size. */
    static String preview(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            boolean printable = text.codePoints().allMatch(c -> !Character.isISOControl(c) || c == '\n' || c == '\t');
            if (printable) {
                return text.length() > PREVIEW ? text.substring(0, PREVIEW) + "…" : text;
            }
        } catch (CharacterCodingException e) {
            // binary, e.g. application/protobuf: shown by size
        }
        return "(" + body.length + " bytes, binary)";
    }

    /** The configured queue of that name, if it is one. */
    static boolean configured(List<String> names, String name) {
        return names.contains(name);
    }
}
