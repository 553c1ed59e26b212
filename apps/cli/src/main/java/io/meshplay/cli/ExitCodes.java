package io.meshplay.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the {@code meshplay} command exits with, so scripts can tell a typo from an outage. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The call, publish or lookup was tried and failed (unreachable, refused, not serving, timed out). */
    public static final int FAILED = 1;
    /**
     * The command line or the input was wrong (unknown option, malformed JSON, bad config value), or the
     * configured plug-in lacks the capability the command needs: a config that cannot do this.
     */
    public static final int USAGE = 2;
    /** The named service, instance, method, type, queue or intention does not exist. */
    public static final int NOT_FOUND = 3;
    /** Ctrl-C (SIGINT): the JVM's own 128 + 2; nothing the CLI sets, listed so scripts know it. */
    public static final int INTERRUPTED = 130;

    /** The table every command's --help ends with, and README's; one source for both. */
    static Map<String, String> help() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(String.valueOf(OK), "ok");
        codes.put(String.valueOf(FAILED), "the call, check or broker operation failed (unreachable, refused, timed out, "
                + "not serving)");
        codes.put(String.valueOf(USAGE), "usage error: options, names, JSON, config, or a plug-in without what the "
                + "command needs");
        codes.put(String.valueOf(NOT_FOUND), "not found: service, instance, method, type, queue, intention");
        codes.put(String.valueOf(INTERRUPTED), "interrupted (Ctrl-C)");
        return codes;
    }

    private ExitCodes() {
    }
}
