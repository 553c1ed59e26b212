package io.meshplay.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.meshplay.registry.Intention;
import io.meshplay.registry.IntentionAdministration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshplay intentions list|allow|deny|delete}: who may call whom, as the registry keeps it (Consul's
 * intentions). Writing is by source and destination, one intention per pair, so {@code allow} and
 * {@code deny} create it or flip the existing one; enforcing them is the servers' job ({@code tls.mode: connect}).
 */
@Command(name = "intentions", description = {"Show and change who may call whom (Consul's intentions): one intention "
        + "per source and destination, so allow and deny create it or flip the existing one.",
        "A source or destination is a service name, or '*' for every service (quote it in a shell).",
        "Needs a registry that keeps intentions (consul; memory keeps them in this JVM only)."},
        subcommands = {IntentionsCommand.ListIntentions.class, IntentionsCommand.Allow.class, IntentionsCommand.Deny.class,
                IntentionsCommand.Delete.class})
final class IntentionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    /** Without an action: this command's help, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    static Map<String, Object> row(Intention intention) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("source", intention.source());
        row.put("destination", intention.destination());
        row.put("action", intention.action().label());
        row.put("description", intention.description());
        row.put("precedence", intention.precedence());
        row.put("id", intention.id().orElse(null));
        row.put("created-at", intention.createdAt().map(Object::toString).orElse(null));
        row.put("updated-at", intention.updatedAt().map(Object::toString).orElse(null));
        return row;
    }

    @Command(name = "list", description = "List every intention: source, destination, action, description "
            + "(-o json adds precedence, id and times). The most specific first, as Consul evaluates them.")
    static final class ListIntentions extends CliCommand {

        @Override
        protected int run(Session session) {
            IntentionAdministration intentions = session.intentions();
            List<Map<String, Object>> rows = intentions.list().stream().map(IntentionsCommand::row).toList();
            session.output().list(rows, List.of("source", "destination", "action", "description"));
            if (rows.isEmpty()) {
                // stderr: stdout stays the (empty) list scripts parse
                intentions.hidingNote().ifPresent(note -> session.err().println("meshplay: no intentions shown; " + note));
            }
            return ExitCodes.OK;
        }
    }

    /** allow and deny: the same write with another action. */
    abstract static class Write extends CliCommand {

        @Parameters(index = "0", paramLabel = "<source>", description = "The calling service, or '*' for every service.")
        String source;

        @Parameters(index = "1", paramLabel = "<destination>", description = "The called service, or '*' for every service.")
        String destination;

        @Option(names = "--description", paramLabel = "<text>",
                description = "Why, for people reading it later; default: the existing intention's, else none.")
        String description;

        abstract Intention.Action action();

        @Override
        protected int run(Session session) {
            Names.intentionEnd("source", source);
            Names.intentionEnd("destination", destination);
            Intention written = session.intentions().put(source, destination, action(), description);
            session.output().record(row(written));
            return ExitCodes.OK;
        }
    }

    @Command(name = "allow", description = "Allow <source> to call <destination>: creates the intention, or changes the "
            + "existing one for the pair.")
    static final class Allow extends Write {
        @Override
        Intention.Action action() {
            return Intention.Action.ALLOW;
        }
    }

    @Command(name = "deny", description = "Deny <source> calling <destination>: creates the intention, or changes the "
            + "existing one for the pair.")
    static final class Deny extends Write {
        @Override
        Intention.Action action() {
            return Intention.Action.DENY;
        }
    }

    @Command(name = "delete", description = "Delete the intention for exactly this pair ('*' matches only an intention "
            + "written with '*'); exit 3 when there is none. Calls then follow the remaining intentions and Consul's "
            + "default.")
    static final class Delete extends CliCommand {

        @Parameters(index = "0", paramLabel = "<source>", description = "The calling service, or '*'.")
        String source;

        @Parameters(index = "1", paramLabel = "<destination>", description = "The called service, or '*'.")
        String destination;

        @Override
        protected int run(Session session) {
            Names.intentionEnd("source", source);
            Names.intentionEnd("destination", destination);
            IntentionAdministration intentions = session.intentions();
            if (!intentions.delete(source, destination)) {
                String note = intentions.hidingNote().map(n -> " (" + n + ")").orElse("");
                throw CliException.notFound("no intention " + source + " -> " + destination + " in " + intentions.description()
                        + note);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("deleted", source + " -> " + destination);
            session.output().record(result);
            return ExitCodes.OK;
        }
    }
}
