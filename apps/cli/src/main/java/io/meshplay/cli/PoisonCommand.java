package io.meshplay.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.protobuf.Descriptors.Descriptor;
import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.broker.PoisonReplay;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueBrowsing;
import io.meshplay.broker.QueueNotFoundException;
import io.meshplay.broker.QueuedMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshplay poison <queue> list|replay|purge}: what landed in {@code <queue>-poison} and why, put it
 * back on {@code <queue>} (without the poison headers, so it is handled afresh), or delete it.
 */
@Command(name = "poison", description = {"Inspect and act on the poison queue <queue>-poison.",
        "list    show each message with reason, handler, error and attempts (without consuming)",
        "replay  move the messages back to <queue>, without the poison headers",
        "purge   delete them all (asks first; --yes to skip, required without a terminal)"})
final class PoisonCommand extends CliCommand {

    /** What to do. */
    enum Action { list, replay, purge }

    /** How long a message being replayed stays hidden from others; far longer than one publish takes. */
    private static final Duration REPLAY_VISIBILITY = Duration.ofSeconds(30);

    @Parameters(index = "0", paramLabel = "<queue>", description = "The source queue, e.g. sample-queue (not its -poison name).")
    String queue;

    @Parameters(index = "1", paramLabel = "list|replay|purge", description = "What to do.")
    Action action;

    @Option(names = "--yes", description = "purge: do not ask.")
    boolean yes;

    @Option(names = "--count", paramLabel = "<n>", description = "replay: at most n messages (default all).")
    Integer count;

    @Option(names = "--type", paramLabel = "<type>", description = "list: decode bodies as this message type.")
    String type;

    @Option(names = "--descriptor", paramLabel = "<file.protoset>", description = "A descriptor set to find --type in.")
    Path descriptor;

    @Override
    protected int run(Session session) throws IOException {
        Names.queue(queue);
        if (count != null && count < 1) {
            throw CliException.usage("--count must be at least 1, was " + count);
        }
        if (queue.endsWith(Poison.SUFFIX)) {
            throw CliException.usage("name the source queue, not its poison queue: meshplay poison "
                    + queue.substring(0, queue.length() - Poison.SUFFIX.length()) + " " + action);
        }
        String poison = Poison.queueOf(queue);
        // a missing source queue is a misspelt name, and every action says so alike (exit 3); a missing
        // poison queue of an existing one only means nothing was poisoned yet (exit 0, nothing to do)
        Queues.requireExisting(session, queue);
        return switch (action) {
            case list -> list(session, poison);
            case replay -> replay(session, poison);
            case purge -> purge(session, poison);
        };
    }

    private int list(Session session, String poison) {
        Descriptor decodeAs = type == null ? null : BuiltInTypes.of(descriptor).find(type);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueuedMessage message : peekOrEmpty(session, poison)) {
            Map<String, String> h = message.message().headers();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", message.id());
            row.put("message-id", h.get(Message.MESSAGE_ID));
            row.put("reason", h.get(Poison.REASON));
            row.put("handler", h.get(Poison.HANDLER));
            row.put("error", h.get(Poison.ERROR));
            row.put("attempts", h.get(Poison.ATTEMPTS));
            row.put("source", h.get(Poison.SOURCE));
            row.putAll(MessageView.of(message, decodeAs));
            row.put("id", message.id());
            rows.add(row);
        }
        session.output().list(rows, List.of("id", "attempts", "handler", "reason", "error"));
        return ExitCodes.OK;
    }

    private int replay(Session session, String poison) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int max = count == null ? Integer.MAX_VALUE : count;
        QueueAdministration queues = session.queueAdministration();
        if (!Queues.exists(queues, poison)) {
            nothingPoisoned(session, poison);
            session.output().list(rows, List.of("id", "message-id", "replayed-to"));
            return ExitCodes.OK;
        }
        PoisonReplay.Result result = PoisonReplay.replay(session.broker(), queues, queue, max, REPLAY_VISIBILITY);
        for (PoisonReplay.Replayed replayed : result.replayed()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", replayed.queueId());
            row.put("message-id", replayed.messageId());
            row.put("replayed-to", queue);
            rows.add(row);
        }
        session.output().list(rows, List.of("id", "message-id", "replayed-to"));
        if (result.truncatedCopy().isPresent()) {
            QueuedMessage copy = result.truncatedCopy().get();
            session.err().println("meshplay: poison message " + copy.id() + " is a truncated copy ("
                    + copy.message().headers().get(Poison.TRUNCATED) + "), not the original, so replay stops there;"
                    + " read it with 'poison " + queue + " list' and remove it with 'poison " + queue + " purge'");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private int purge(Session session, String poison) throws IOException {
        QueueAdministration queues = session.queueAdministration();
        if (!Queues.exists(queues, poison)) {
            nothingPoisoned(session, poison);
            session.output().record(purged(poison, 0));
            return ExitCodes.OK;
        }
        long waiting = queues.length(poison);
        String amount = "about " + waiting + " message(s)";
        if (!yes) {
            if (!session.interactive()) {
                throw CliException.usage("purge would delete " + amount + " from '" + poison
                        + "'; pass --yes to confirm (there is no terminal to ask on)");
            }
            session.err().print("Delete " + amount + " from '" + poison + "'? [y/N] ");
            session.err().flush();
            String answer = new BufferedReader(new InputStreamReader(session.in(), StandardCharsets.UTF_8)).readLine();
            if (answer == null || !List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
                session.err().println("meshplay: nothing deleted");
                return ExitCodes.FAILED;
            }
        }
        queues.purge(poison);
        session.output().record(purged(poison, waiting));
        return ExitCodes.OK;
    }

    private static Map<String, Object> purged(String poison, long count) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("queue", poison);
        result.put("purged", count);
        return result;
    }

    /** On stderr: stdout stays the (empty) result scripts parse. */
    private static void nothingPoisoned(Session session, String poison) {
        session.err().println("meshplay: nothing was poisoned yet: '" + poison + "' does not exist");
    }

    /** A poison queue that was never created just means nothing was poisoned yet. */
    private static List<QueuedMessage> peekOrEmpty(Session session, String poison) {
        QueueBrowsing queues = session.queueBrowsing();
        try {
            return queues.peek(poison, 32);
        } catch (QueueNotFoundException e) {
            nothingPoisoned(session, poison);
            return List.of();
        }
    }
}
