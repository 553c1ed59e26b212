package io.meshplay.registry;

import java.util.List;
import java.util.Optional;

/**
 * Who may call whom: the registry's intentions (Consul Connect's), read and written by source and
 * destination service name. Only the registry stores them here; enforcing them is the transport's job
 * (the {@code connect} TLS mode asks Consul on every new caller).
 *
 * <p>A capability: a registry that offers it returns it from {@link Registry#intentions()}. It lives as long
 * as that registry and is as thread-safe. At most one intention exists per source and destination pair, so
 * {@link #allow} and {@link #deny} create one or change the existing one (running them twice changes
 * nothing). Failures are {@link RegistryException}s whose messages never contain credentials and say which
 * permission was missing when the registry refused.
 */
public interface IntentionAdministration {

    /** Every intention the registry lets this client read, in {@link Intention#EVALUATION_ORDER}. */
    List<Intention> list();

    /**
     * The intention for exactly this pair: {@code *} matches only an intention written with {@code *}, not
     * every service (this is not "would the call be allowed").
     */
    Optional<Intention> find(String source, String destination);

    /**
     * Creates the intention for the pair or changes the existing one's action and description.
     *
     * @param description free text; {@code null} keeps the existing intention's (none for a new one)
     * @return the intention as the registry now holds it
     */
    Intention put(String source, String destination, Intention.Action action, String description);

    /** {@code put(source, destination, ALLOW, null)}. */
    default Intention allow(String source, String destination) {
        return put(source, destination, Intention.Action.ALLOW, null);
    }

    /** {@code put(source, destination, DENY, null)}. */
    default Intention deny(String source, String destination) {
        return put(source, destination, Intention.Action.DENY, null);
    }

    /** Deletes the intention for exactly this pair; false when there was none. */
    boolean delete(String source, String destination);

    /** Where they are kept, for messages a person reads, e.g. {@code Consul at http://127.0.0.1:8500}; no secret. */
    String description();

    /**
     * What may hide intentions from {@link #list()} without an error (a registry with access control that
     * leaves out what the token may not read), for a person puzzled by an empty or short answer. Empty when
     * nothing hides them or it cannot tell; may ask the registry. Never contains a secret.
     */
    default Optional<String> hidingNote() {
        return Optional.empty();
    }
}
