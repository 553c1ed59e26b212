package io.meshplay.registry;

import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether {@code source} may call {@code destination}: Consul's intention, as {@link IntentionAdministration}
 * reports it. {@code *} as a name matches every service ({@link #WILDCARD}); a more specific intention wins
 * over a wildcard one ({@link #precedence()}).
 *
 * @param source      the calling service, or {@code *}
 * @param destination the called service, or {@code *}
 * @param action      allow or deny
 * @param description free text for people; empty when there is none
 * @param id          the registry's id for it, when it has one (Consul 1.9+ does not give one to intentions
 *                    written by source and destination)
 * @param createdAt   when it was created, when the registry tells
 * @param updatedAt   when it last changed, when the registry tells
 */
public record Intention(String source, String destination, Action action, String description, Optional<String> id,
                        Optional<Instant> createdAt, Optional<Instant> updatedAt) {

    /** The name that matches every service. */
    public static final String WILDCARD = "*";

    /**
     * The order a registry evaluates intentions in, and the order {@link IntentionAdministration#list()}
     * answers: the most specific first, then by destination and source name.
     */
    public static final Comparator<Intention> EVALUATION_ORDER = Comparator.comparingInt(Intention::precedence).reversed()
            .thenComparing(Intention::destination).thenComparing(Intention::source);

    /** What an intention says about the calls it matches. */
    public enum Action {
        ALLOW, DENY;

        /** As Consul writes it: {@code allow}, {@code deny}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** From Consul's spelling, in any case; IllegalArgumentException for anything else. */
        public static Action of(String label) {
            for (Action action : values()) {
                if (action.label().equalsIgnoreCase(String.valueOf(label).strip())) {
                    return action;
                }
            }
            throw new IllegalArgumentException("intention action '" + label + "' is neither allow nor deny");
        }
    }

    public Intention {
        requireName("source", source);
        requireName("destination", destination);
        Objects.requireNonNull(action, "action");
        description = description == null ? "" : description;
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** An intention as written, before a registry gives it an id or times. */
    public static Intention of(String source, String destination, Action action, String description) {
        return new Intention(source, destination, action, description, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * How specific it is, as Consul (without namespaces) ranks it: 9 for two names, 8 for any source to one
     * destination, 6 for one source to any destination, 5 for {@code * -> *}. The highest matching one decides.
     */
    public int precedence() {
        boolean anySource = WILDCARD.equals(source);
        boolean anyDestination = WILDCARD.equals(destination);
        if (anyDestination) {
            return anySource ? 5 : 6;
        }
        return anySource ? 8 : 9;
    }

    /** True for the same source and destination (the pair a registry keeps at most one intention for). */
    public boolean samePair(String otherSource, String otherDestination) {
        return source.equals(otherSource) && destination.equals(otherDestination);
    }

    /** A copy with another action and description, keeping the registry's id and creation time. */
    public Intention with(Action newAction, String newDescription, Optional<Instant> newUpdatedAt) {
        return new Intention(source, destination, newAction, newDescription, id, createdAt, newUpdatedAt);
    }

    /** {@code source -> destination (allow)}, for messages. */
    @Override
    public String toString() {
        return source + " -> " + destination + " (" + action.label() + ")";
    }

    /** Rejects a null or blank name; the rules for what a name may hold are the registry's and the tool's. */
    public static String requireName(String what, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("intention " + what + " must not be blank");
        }
        return name;
    }
}
