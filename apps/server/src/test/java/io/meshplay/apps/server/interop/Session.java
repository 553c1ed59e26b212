package io.meshplay.apps.server.interop;

import java.time.Duration;

import com.google.gson.JsonObject;

/**
 * One case run by one client: a sequence of JSON lines, {@code {"type":"event",...}} while it runs and one
 * {@code {"type":"result","ok":...}} at the end, whatever the client's language.
 */
interface Session extends AutoCloseable {

    /**
     * The next line, waiting at most {@code timeout}.
     *
     * @throws IllegalStateException if the client ended or the time passed without a line
     */
    JsonObject next(Duration timeout);

    /** Lets a client waiting for the test go on (the cancel case keeps its connection open until then). */
    void proceed();

    @Override
    void close();

    /** A client of the suite: a language and how to start one case in it. */
    interface Client {
        String name();

        Session start(String kase, ConsulView.Target target);
    }
}
