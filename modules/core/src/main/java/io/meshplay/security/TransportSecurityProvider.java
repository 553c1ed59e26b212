package io.meshplay.security;

import io.helidon.config.Config;
import io.meshplay.config.Options;

/**
 * A {@code tls.mode}, found with {@link java.util.ServiceLoader}: {@code files} is in core, {@code connect}
 * comes with the Consul plug-in (it needs the agent), and anyone can add one.
 */
public interface TransportSecurityProvider {

    /** The name used in {@code tls.mode}. */
    String mode();

    /** What it reads under {@code tls.<mode>}, for {@code --help}. */
    Options options();

    /**
     * @param root the root config: the mode reads {@code tls.*} and may read other areas it builds on
     *             (connect reads {@code registry.consul.*} for the agent's address and token)
     * @param side which end this process is
     * @param name the service name (server) or the client's identity ({@code tls.identity}, default the app name)
     */
    TransportSecurity open(Config root, Side side, String name);
}
