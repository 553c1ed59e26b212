package io.meshplay.testing.contract;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import io.meshplay.broker.Event;
import io.meshplay.broker.Handler;

/**
 * A handler that records every delivery before doing what the case wants of it (fail, reject, block).
 * Thread-safe, since brokers run handlers on threads of their own.
 */
final class Inbox implements Handler {

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Handler then;

    Inbox() {
        this(event -> { });
    }

    Inbox(Handler then) {
        this.then = then;
    }

    @Override
    public void handle(Event event) throws Exception {
        events.add(event);
        then.handle(event);
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    int count() {
        return events.size();
    }

    /** The bodies delivered, read as UTF-8, each once however often it came. */
    Set<String> distinctBodies() {
        Set<String> bodies = new TreeSet<>();
        events.forEach(e -> bodies.add(body(e)));
        return bodies;
    }

    List<Long> attempts() {
        return events.stream().map(Event::attempt).toList();
    }

    static String body(Event event) {
        return new String(event.message().body(), StandardCharsets.UTF_8);
    }
}
