package io.meshplay.cli;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Words for the exceptions that reach the user without a message of their own, mostly from the network
 * stacks under the plug-ins: what happened, not which class said so.
 */
final class Unexplained {

    private Unexplained() {
    }

    static String describe(Throwable e) {
        if (e instanceof ClosedChannelException) {
            return "the connection was closed before the answer came";
        }
        if (e instanceof ConnectException) {
            return "the connection was refused";
        }
        if (e instanceof SocketTimeoutException || e instanceof HttpTimeoutException || e instanceof TimeoutException
                || e instanceof InterruptedIOException) {
            return "no answer in time";
        }
        if (e instanceof InterruptedException) {
            return "interrupted";
        }
        return "unexpected error without a message (run with --verbose to see where)";
    }
}
