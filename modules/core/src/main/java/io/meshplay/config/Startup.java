package io.meshplay.config;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.helidon.config.ConfigException;

/**
 * The one entry every meshplay app's {@code main} goes through: it runs the app and turns whatever stops
 * its start into one line on stderr, {@code <app>: <what is wrong>}, and an exit code a script can tell
 * apart: {@value #CONFIG_ERROR} for the command line or the configuration (a bad value, an unknown
 * argument, a missing folder, malformed YAML), {@value #FAILED} for anything else (a port in use, a
 * registry that refuses us). The stack trace follows the line only with {@value #VERBOSE_FLAG} or
 * {@code MESHPLAY_DEBUG=1}: users fix a key from one line, developers want the trace.
 */
public final class Startup {

    public static final int FAILED = 1;
    public static final int CONFIG_ERROR = 2;
    public static final String VERBOSE_FLAG = "--verbose";
    public static final String DEBUG_ENV = "MESHPLAY_DEBUG";

    /** An app's body: parses {@code args}, loads its config, starts. */
    @FunctionalInterface
    public interface AppMain {
        void run(String[] args) throws Exception;
    }

    private Startup() {
    }

    /**
     * Runs {@code main} with {@code args} minus {@value #VERBOSE_FLAG}; on an exception prints one line (and
     * the trace when verbose) and exits with {@link #exitCode(Throwable)}. Returns normally when {@code main}
     * does, so a server whose threads keep running stays up.
     */
    public static void run(String app, String[] args, AppMain main) {
        boolean verbose = verbose(args, System.getenv());
        try {
            main.run(withoutVerbose(args));
        } catch (Throwable e) {
            System.exit(report(app, e, verbose, System.err));
        }
    }

    /** Whether the trace is wanted: {@value #VERBOSE_FLAG} among the arguments, or {@code MESHPLAY_DEBUG} set to 1 or true. */
    public static boolean verbose(String[] args, Map<String, String> env) {
        String debug = env.getOrDefault(DEBUG_ENV, "").strip();
        return List.of(args).contains(VERBOSE_FLAG) || debug.equals("1") || debug.equalsIgnoreCase("true");
    }

    static String[] withoutVerbose(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        rest.removeIf(VERBOSE_FLAG::equals);
        return rest.toArray(String[]::new);
    }

    /** Prints the line (and the trace when {@code verbose}) to {@code err}; returns the exit code. */
    public static int report(String app, Throwable e, boolean verbose, PrintStream err) {
        err.println(line(app, e, verbose));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return exitCode(e);
    }

    /** {@value #CONFIG_ERROR} when the configuration or the command line is at fault, else {@value #FAILED}. */
    public static int exitCode(Throwable e) {
        Throwable told = told(e);
        if (told instanceof StartupException s) {
            return s.exitCode();
        }
        return told instanceof ConfigException ? CONFIG_ERROR : FAILED;
    }

    /** The one line a user reads: {@code <app>: <message>}, line breaks folded. */
    public static String line(String app, Throwable e, boolean verbose) {
        Throwable told = told(e);
        String text = oneLine(told.getMessage());
        boolean ours = told instanceof ConfigException || told instanceof StartupException
                || told.getClass().getName().startsWith("io.meshplay.");
        if (ours && !text.isEmpty()) {
            return app + ": " + text;
        }
        // not written for users: the type says more than a bare message, and the trace is one switch away
        return app + ": " + told.getClass().getSimpleName() + (text.isEmpty() ? "" : ": " + text)
                + (verbose ? "" : " (" + VERBOSE_FLAG + " or " + DEBUG_ENV + "=1 shows the stack trace)");
    }

    /**
     * The exception whose message to show: the first in the cause chain written for users (a
     * {@link StartupException}, or a {@link ConfigException} that names a key), since wrappers such as
     * Helidon's "Failed to start" hide the line that says what to fix; else {@code e} itself.
     */
    static Throwable told(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof StartupException
                    || t instanceof ConfigException && t.getMessage() != null && t.getMessage().startsWith("config ")) {
                return t;
            }
        }
        return e;
    }

    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
