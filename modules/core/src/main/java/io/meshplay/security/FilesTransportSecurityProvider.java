package io.meshplay.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;
import io.meshplay.config.ConfigErrors;
import io.meshplay.config.Option;
import io.meshplay.config.Options;

/** {@code tls.mode: files}: PEM files an operator (or cert-manager, Vault agent ...) keeps up to date. */
public final class FilesTransportSecurityProvider implements TransportSecurityProvider {

    public static final String MODE = "files";

    /** {@code tls.files.client-auth}: whether a server asks callers for a certificate. */
    enum ClientAuth { REQUIRE, OPTIONAL, NONE }

    static final Option<String> CERT = Option.string("cert",
            "PEM certificate chain of this process, leaf first (server: required; client: presented for mutual TLS)")
            .defaultShown("none"); // required only of a server in this mode: open() says so, not the generic check
    static final Option<String> KEY = Option.string("key", "PEM private key of that certificate (PKCS#8, SEC1 or PKCS#1)")
            .defaultShown("required with cert");
    static final Option<String> CA = Option.string("ca",
            "PEM CA certificates that sign the peer's certificate (client default: the JVM's trusted CAs)").defaultShown("none");
    static final Option<ClientAuth> CLIENT_AUTH = Option.oneOf("client-auth",
            "server: whether callers must present a certificate signed by ca", ClientAuth.class).defaultShown("require when ca is set, else none");
    static final Option<Duration> REFRESH = Option.duration("refresh", "how often the files are checked for a change")
            .range(Duration.ofMillis(100), Duration.ofHours(1)).defaultValue(Duration.ofSeconds(10));
    static final Option<String> SERVER_NAME = Option.string("server-name",
            "client: a DNS or IP SAN the server's certificate must carry ({service} is the service called); "
                    + "unset: the chain alone is verified, not the host name").defaultShown("none");
    static final Option<Boolean> PERMISSIVE = Option.bool("permissive",
            "server: also accept plaintext callers on the same port (a migration aid)").defaultValue(false);

    static final Options OPTIONS = Options.of(CERT, KEY, CA, CLIENT_AUTH, REFRESH, SERVER_NAME, PERMISSIVE);

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public TransportSecurity open(Config root, Side side, String name) {
        Config files = root.get("tls." + MODE);
        Optional<FilesMaterial.Source> cert = source(files, CERT);
        Optional<FilesMaterial.Source> key = source(files, KEY);
        Optional<FilesMaterial.Source> ca = source(files, CA);
        if (side == Side.SERVER && cert.isEmpty()) {
            throw ConfigErrors.missing(files.get(CERT.key()), "a server under tls.mode=files presents a certificate: "
                    + "the path of its PEM chain");
        }
        if (cert.isPresent() && key.isEmpty()) {
            throw ConfigErrors.missing(files.get(KEY.key()), "the PEM private key of " + files.get(CERT.key()).key());
        }
        if (key.isPresent() && cert.isEmpty()) {
            throw ConfigErrors.missing(files.get(CERT.key()), "the PEM certificate of " + files.get(KEY.key()).key());
        }
        ClientAuth clientAuth = CLIENT_AUTH.find(files).orElse(ca.isPresent() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        if (side == Side.SERVER && clientAuth != ClientAuth.NONE && ca.isEmpty()) {
            throw ConfigErrors.invalid(files.get(CLIENT_AUTH.key()), clientAuth.name().toLowerCase(java.util.Locale.ROOT),
                    "none without " + files.get(CA.key()).key() + " (the CA that signs client certificates)");
        }
        return new FilesTransportSecurity(side, cert, key, ca, clientAuth, REFRESH.get(files),
                SERVER_NAME.find(files), PERMISSIVE.get(files));
    }

    private static Optional<FilesMaterial.Source> source(Config files, Option<String> option) {
        return option.find(files).map(path -> new FilesMaterial.Source(files.get(option.key()).key().toString(),
                Path.of(path).toAbsolutePath().normalize()));
    }
}
