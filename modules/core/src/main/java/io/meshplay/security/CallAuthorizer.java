package io.meshplay.security;

import java.util.Optional;

/**
 * Decides whether a caller may call this server (Consul intentions under {@code connect}). Called for
 * every inbound call, so implementations answer from a cache and keep it fresh in the background.
 */
@FunctionalInterface
public interface CallAuthorizer {

    /** Lets every caller through: the default when a mode has no notion of who may call whom. */
    CallAuthorizer ALLOW_ALL = (peer, service) -> Authorization.allow("no authorization in this mode");

    /**
     * @param peer    the caller's verified identity; empty for a plaintext caller (only ever admitted by a
     *                permissive setting)
     * @param service the service being called (this server's registered name)
     */
    Authorization authorize(Optional<PeerIdentity> peer, String service);
}
