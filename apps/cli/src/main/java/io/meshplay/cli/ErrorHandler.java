package io.meshplay.cli;

import java.io.PrintWriter;

import io.grpc.StatusRuntimeException;
import io.helidon.config.ConfigException;
import io.meshplay.broker.BrokerException;
import io.meshplay.broker.QueueNotFoundException;
import io.meshplay.registry.RegistryException;
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
        if (e instanceof CliException) {
            return oneLine(e.getMessage());
        }
        if (e instanceof StatusRuntimeException s) {
            return "call failed: " + s.getStatus().getCode()
                    + (s.getStatus().getDescription() == null ? "" : ": " + oneLine(s.getStatus().getDescription()));
        }
        if (e instanceof ConfigException || e instanceof RegistryException || e instanceof BrokerException
                || e instanceof IllegalArgumentException) {
            return oneLine(e.getMessage());
        }
        String text = e.getMessage();
        return e.getClass().getSimpleName() + (text == null ? "" : ": " + oneLine(text));
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
