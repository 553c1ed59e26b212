package io.meshplay.cli;

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
    /** The named service, instance, method, type or message does not exist. */
    public static final int NOT_FOUND = 3;

    private ExitCodes() {
    }
}
