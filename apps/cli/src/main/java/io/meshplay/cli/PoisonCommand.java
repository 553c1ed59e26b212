package io.meshplay.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.protobuf.Descriptors.Descriptor;
import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueBrowsing;
import io.meshplay.broker.QueueNotFoundException;
import io.meshplay.broker.QueuedMessage;
import io.meshplay.cli.proto.ProtoTypes;
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

    private static final List<String> POISON_HEADERS = List.of(Poison.REASON, Poison.HANDLER, Poison.ERROR, Poison.SOURCE,
            Poison.ATTEMPTS);
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
        if (queue.endsWith(Poison.SUFFIX)) {
            throw CliException.usage("name the source queue, not its poison queue: meshplay poison "
                    + queue.substring(0, queue.length() - Poison.SUFFIX.length()) + " " + action);
        }
        String poison = Poison.queueOf(queue);
        return switch (action) {
            case list -> list(session, poison);
            case replay -> replay(session, poison);
            case purge -> purge(session, poison);
        };
    }

    private int list(Session session, String poison) {
        Descriptor decodeAs = type == null ? null : ProtoTypes.of(descriptor).find(type);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (QueuedMessage message : peekOrEmpty(session.queueBrowsing(), poison)) {
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
        if (max < 1) {
            throw CliException.usage("--count must be at least 1, was " + count);
        }
        session.queueAdministration().take(poison, max, REPLAY_VISIBILITY, message -> {
            Map<String, String> headers = new HashMap<>(message.message().headers());
            POISON_HEADERS.forEach(headers::remove);
            // published before the poison copy is deleted: a failure here leaves it in the poison queue
            session.broker().publish(queue, new Message(headers, message.message().body()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", message.id());
            row.put("message-id", headers.get(Message.MESSAGE_ID));
            row.put("replayed-to", queue);
            rows.add(row);
        });
        session.output().list(rows, List.of("id", "message-id", "replayed-to"));
        return ExitCodes.OK;
    }

    private int purge(Session session, String poison) throws IOException {
        QueueAdministration queues = session.queueAdministration();
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
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("queue", poison);
        result.put("purged", waiting);
        session.output().record(result);
        return ExitCodes.OK;
    }

    /** A poison queue that was never created just means nothing was poisoned yet. */
    private static List<QueuedMessage> peekOrEmpty(QueueBrowsing queues, String poison) {
        try {
            return queues.peek(poison, 32);
        } catch (QueueNotFoundException e) {
            return List.of();
        }
    }
}
