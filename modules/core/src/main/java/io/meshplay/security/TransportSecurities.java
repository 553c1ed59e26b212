package io.meshplay.security;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

import io.helidon.config.Config;
import io.meshplay.config.ConfigErrors;
import io.meshplay.config.Option;
import io.meshplay.config.Options;

/** Opens what {@code tls.mode} names; {@code off} (the default) is plaintext and opens nothing. */
public final class TransportSecurities {

    public static final String OFF = "off";

    private TransportSecurities() {
    }

    /**
     * @param root the root config
     * @param side which end this process is
     * @param name the service name (server) or the client's identity
     * @return empty under {@code tls.mode: off}
     */
    public static Optional<TransportSecurity> open(Config root, Side side, String name) {
        TreeMap<String, TransportSecurityProvider> known = installed();
        String mode = modeOption(known).get(root);
        if (OFF.equals(mode)) {
            return Optional.empty();
        }
        TransportSecurityProvider provider = known.get(mode);
        if (provider == null) {
            throw ConfigErrors.invalid(root.get("tls.mode"), mode, "one of " + modes(known));
        }
        return Optional.of(provider.open(root, side, name));
    }

    /** The mode {@code tls.mode} names ({@code off} by default), checked against the installed ones, without opening it. */
    public static String mode(Config root) {
        return modeOption(installed()).get(root);
    }

    /** {@code tls.identity}: who a client is; a server is its {@code service.name}. */
    public static final Option<String> IDENTITY = Option.string("tls.identity",
            "client: the identity this process calls as (connect: its leaf certificate's service)").defaultShown("the app name");

    /** The client identity: {@code tls.identity}, else {@code appName}. */
    public static String identity(Config root, String appName) {
        return IDENTITY.find(root).orElse(appName);
    }

    /** {@code tls.mode} and every installed mode's options under {@code tls.<mode>}, for {@code --help}. */
    public static Options options() {
        TreeMap<String, TransportSecurityProvider> known = installed();
        Options all = Options.of(modeOption(known), IDENTITY);
        for (var provider : known.entrySet()) {
            all = all.and(provider.getValue().options().under("tls." + provider.getKey()));
        }
        return all;
    }

    private static Option<String> modeOption(TreeMap<String, TransportSecurityProvider> known) {
        return Option.oneOf("tls.mode", "transport security of gRPC, for servers and clients alike", modes(known))
                .expected("one of " + modes(known))
                .defaultValue(OFF);
    }

    private static List<String> modes(TreeMap<String, TransportSecurityProvider> known) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(OFF), known.keySet().stream()).toList();
    }

    private static TreeMap<String, TransportSecurityProvider> installed() {
        TreeMap<String, TransportSecurityProvider> known = new TreeMap<>();
        for (TransportSecurityProvider provider : ServiceLoader.load(TransportSecurityProvider.class,
                TransportSecurities.class.getClassLoader())) {
            known.putIfAbsent(provider.mode(), provider);
        }
        return known;
    }
}
