package io.meshplay.registry.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.meshplay.registry.Intention;
import io.meshplay.registry.IntentionAdministration;

/**
 * The intentions of one in-JVM registry name, shared by all its handles: kept, listed and changed like
 * Consul's, enforced by nothing (there is no transport that asks the memory registry). They are not owned
 * by the handle that wrote them, as Consul's are not, so closing a handle leaves them; they last as long as
 * the JVM. Each intention gets an id and times, as Consul 1.8 gives them.
 */
final class MemoryIntentions {

    private record Pair(String source, String destination) {
    }

    private final Map<Pair, Intention> byPair = new LinkedHashMap<>();

    synchronized List<Intention> list() {
        List<Intention> all = new ArrayList<>(byPair.values());
        all.sort(Intention.EVALUATION_ORDER);
        return List.copyOf(all);
    }

    synchronized Optional<Intention> find(String source, String destination) {
        return Optional.ofNullable(byPair.get(pair(source, destination)));
    }

    synchronized Intention put(String source, String destination, Intention.Action action, String description) {
        Pair pair = pair(source, destination);
        Instant now = Instant.now();
        Intention existing = byPair.get(pair);
        Intention next = existing == null
                ? new Intention(source, destination, action, description, Optional.of(UUID.randomUUID().toString()),
                        Optional.of(now), Optional.of(now))
                : existing.with(action, description == null ? existing.description() : description, Optional.of(now));
        byPair.put(pair, next);
        return next;
    }

    synchronized boolean delete(String source, String destination) {
        return byPair.remove(pair(source, destination)) != null;
    }

    private static Pair pair(String source, String destination) {
        return new Pair(Intention.requireName("source", source), Intention.requireName("destination", destination));
    }

    /** What one handle offers: the shared intentions, refused once the handle is closed. */
    static IntentionAdministration view(MemoryIntentions intentions, Runnable ensureOpen, String description) {
        return new IntentionAdministration() {
            @Override
            public List<Intention> list() {
                ensureOpen.run();
                return intentions.list();
            }

            @Override
            public Optional<Intention> find(String source, String destination) {
                ensureOpen.run();
                return intentions.find(source, destination);
            }

            @Override
            public Intention put(String source, String destination, Intention.Action action, String text) {
                ensureOpen.run();
                Objects.requireNonNull(action, "action");
                return intentions.put(source, destination, action, text);
            }

            @Override
            public boolean delete(String source, String destination) {
                ensureOpen.run();
                return intentions.delete(source, destination);
            }

            @Override
            public String description() {
                return description;
            }
        };
    }
}
