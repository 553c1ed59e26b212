package io.meshplay.cli;

import java.io.PrintWriter;

import io.grpc.StatusRuntimeException;
import io.helidon.config.ConfigException;
import io.meshplay.broker.QueueNotFoundException;
import io.meshplay.grpcjson.GrpcJsonException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place errors become exit codes and a single line on stderr: {@code meshplay: <what went wrong>}.
 * The stack trace only with {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler, IExitCodeExceptionMapper {

    private final MeshplayCli root;

    ErrorHandler(MeshplayCli root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        report(commandLine.getErr(), message(e), e);
        return getExitCode(e);
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String help = cmd.getCommandSpec().qualifiedName() + " --help";
        report(cmd.getErr(), oneLine(e.getMessage()) + " (see '" + help + "')", e);
        return ExitCodes.USAGE;
    }

    @Override
    public int getExitCode(Throwable e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        if (e instanceof GrpcJsonException g) {
            return switch (g.kind()) {
                case NOT_FOUND -> ExitCodes.NOT_FOUND;
                case BAD_INPUT -> ExitCodes.USAGE;
                case FAILED -> ExitCodes.FAILED;
            };
        }
        if (e instanceof QueueNotFoundException) {
            return ExitCodes.NOT_FOUND;
        }
        if (e instanceof ParameterException || e instanceof ConfigException || e instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILED;
    }

    /** The line a user reads; plug-in exceptions already name the key or the address and hide secrets. */
    static String message(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            String description = s.getStatus().getDescription();
            Throwable cause = s.getStatus().getCause();
            if (cause != null && (description == null || description.equals("io exception"))) {
                // grpc-java says only "io exception" for a refused handshake; the reason (a server whose
                // certificate names another service, an unknown CA) is at the bottom of the chain
                Throwable root = cause;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                if (root.getMessage() != null && !root.getMessage().isBlank()) {
                    description = (description == null ? "" : description + ": ") + root.getMessage();
                }
            }
            return "call failed: " + s.getStatus().getCode() + (description == null ? "" : ": " + oneLine(description));
        }
        return readable(e);
    }

    /**
     * The first message in the chain a person can read. A wrapper whose message is only its cause's class
     * and text ({@code new UncheckedIOException(cause)}) is skipped, and an exception without a message is
     * described in words: a class name tells a user nothing they can act on (--verbose shows them all).
     */
    static String readable(Throwable e) {
        Throwable last = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t.getMessage();
            boolean onlyTheCause = t.getCause() != null && text != null && text.equals(t.getCause().toString());
            if (text != null && !text.isBlank() && !onlyTheCause) {
                return oneLine(text);
            }
            last = t;
        }
        return Unexplained.describe(last);
    }
    private void report(PrintWriter err, String line, Throwable e) {
        err.println("meshplay: " + line);
        if (root.verbose()) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
