package io.meshplay.registry.consul.connect;

import io.helidon.config.Config;
import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.registry.consul.ConsulRegistryOptions;
import io.meshplay.security.Side;
import io.meshplay.security.TransportSecurity;
import io.meshplay.security.TransportSecurityProvider;

/**
 * {@code tls.mode: connect}. Options under {@code tls.connect}; the agent's address and ACL token are the
 * registry's ({@code registry.consul.address}, {@code registry.consul.token}, or CONSUL_HTTP_ADDR /
 * CONSUL_HTTP_TOKEN), since Connect is always the local agent's business.
 */
public final class ConnectProvider implements TransportSecurityProvider {

    static final Option<Boolean> PERMISSIVE = Option.bool("permissive",
            "a server also accepts plaintext callers on its port (a migration aid; they are counted and logged)")
            .defaultValue(false);

    @Override
    public String mode() {
        return ConnectSecurity.MODE;
    }

    @Override
    public Options options() {
        return Options.of(PERMISSIVE);
    }

    @Override
    public TransportSecurity open(Config root, Side side, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tls.mode connect needs a service name (server) or tls.identity (client)");
        }
        boolean permissive = PERMISSIVE.get(root.get("tls." + ConnectSecurity.MODE));
        return new ConnectSecurity(ConsulRegistryOptions.from(root.get("registry")), permissive, side, name);
    }
}
