package io.meshplay.registry.consul;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.meshplay.config.ConfigErrors;
import io.meshplay.config.Durations;

/**
 * The options under {@code registry.consul}, with defaults, validated up front so a typo fails at start
 * with the key's name rather than as an odd Consul response later.
 *
 * <p>{@code address} and {@code token} fall back to {@code CONSUL_HTTP_ADDR} / {@code CONSUL_HTTP_TOKEN}
 * (and {@code CONSUL_HTTP_TOKEN_FILE}, {@code CONSUL_HTTP_SSL}) when the key is unset, as Consul's own
 * tools do, so one environment serves both the CLI and the apps.
 */
public record ConsulRegistryOptions(URI address,
                                    Secret token,
                                    Optional<String> datacenter,
                                    CheckType checkType,
                                    Duration checkInterval,
                                    Duration checkTimeout,
                                    Duration deregisterAfter,
                                    Duration reconcileInterval,
                                    Duration watchWait,
                                    Duration watchMaxBackoff,
                                    Duration requestTimeout,
                                    List<String> tags,
                                    Map<String, String> meta) {

    public static final String DEFAULT_ADDRESS = "http://127.0.0.1:8500";
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(2);
    /** Consul raises anything lower to one minute, so a lower value would silently not mean what it says. */
    public static final Duration MIN_DEREGISTER_AFTER = Duration.ofMinutes(1);
    public static final Duration DEFAULT_DEREGISTER_AFTER = MIN_DEREGISTER_AFTER;
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_WATCH_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WATCH_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** How Consul decides an instance is healthy. */
    public enum CheckType {
        /** Consul calls grpc.health.v1 on the instance's host:port. */
        GRPC,
        /** Consul GETs http://host:port + the instance's {@code health_path} metadata. */
        HTTP,
        /** The registry itself reports "passing" to Consul, every third of the check interval. */
        TTL
    }

    /** A token that never shows itself in logs, exceptions or {@code toString()}. */
    public record Secret(String value) {
        static final Secret NONE = new Secret(null);

        public boolean present() {
            return value != null && !value.isBlank();
        }

        @Override
        public String toString() {
            return present() ? "(set)" : "(none)";
        }
    }

    /** Reads {@code registry.consul} from the {@code registry} node, with the process environment. */
    public static ConsulRegistryOptions from(Config registryConfig) {
        return from(registryConfig, System::getenv);
    }

    /**
     * @param registryConfig the {@code registry} node
     * @param env            environment lookup (tests pass their own)
     */
    public static ConsulRegistryOptions from(Config registryConfig, UnaryOperator<String> env) {
        Config c = registryConfig.get("consul");
        URI address = address(c.get("address"), env);
        Secret token = token(c.get("token"), env);
        Optional<String> dc = c.get("datacenter").asString().asOptional().filter(s -> !s.isBlank());
        Config check = c.get("check");
        CheckType type = checkType(check.get("type"));
        Duration interval = positive(check.get("interval"), DEFAULT_CHECK_INTERVAL);
        Duration timeout = positive(check.get("timeout"), DEFAULT_CHECK_TIMEOUT);
        Config deregNode = c.get("deregister-after");
        Duration deregisterAfter = Durations.get(deregNode, DEFAULT_DEREGISTER_AFTER);
        if (deregisterAfter.compareTo(MIN_DEREGISTER_AFTER) < 0) {
            throw ConfigErrors.invalid(deregNode, deregNode.asString().orElse(""),
                    "at least 1m (Consul's minimum for deregister_critical_service_after)");
        }
        Duration reconcile = positive(c.get("reconcile-interval"), DEFAULT_RECONCILE_INTERVAL);
        Config waitNode = c.get("watch-wait");
        Duration wait = positive(waitNode, DEFAULT_WATCH_WAIT);
        if (wait.compareTo(Duration.ofSeconds(1)) < 0 || wait.compareTo(Duration.ofMinutes(10)) > 0) {
            throw ConfigErrors.invalid(waitNode, waitNode.asString().orElse(""), "between 1s and 10m (Consul's blocking-query limit)");
        }
        Duration maxBackoff = positive(c.get("watch-max-backoff"), DEFAULT_WATCH_MAX_BACKOFF);
        Duration requestTimeout = positive(c.get("request-timeout"), DEFAULT_REQUEST_TIMEOUT);
        List<String> tags = tags(c.get("tags"));
        Map<String, String> meta = meta(c.get("meta"));
        return new ConsulRegistryOptions(address, token, dc, type, interval, timeout, deregisterAfter, reconcile,
                wait, maxBackoff, requestTimeout, tags, meta);
    }

    /** Defaults only (no config, no environment): what a local dev agent needs. */
    public static ConsulRegistryOptions defaults() {
        return from(Config.empty(), name -> null);
    }

    public ConsulRegistryOptions {
        tags = List.copyOf(tags);
        meta = Map.copyOf(meta);
    }

    /** A copy pointing at another agent; for tests and tools. */
    public ConsulRegistryOptions withAddress(URI newAddress) {
        return new ConsulRegistryOptions(newAddress, token, datacenter, checkType, checkInterval, checkTimeout,
                deregisterAfter, reconcileInterval, watchWait, watchMaxBackoff, requestTimeout, tags, meta);
    }

    @Override
    public String toString() {
        // the record's default toString would print the token's holder; Secret hides it, but say so explicitly
        return "ConsulRegistryOptions[address=" + address + ", token=" + token + ", datacenter=" + datacenter.orElse("(agent's)")
                + ", check=" + checkType.name().toLowerCase(Locale.ROOT) + " every " + ConsulEncoding.goDuration(checkInterval)
                + " timeout " + ConsulEncoding.goDuration(checkTimeout)
                + ", deregisterAfter=" + ConsulEncoding.goDuration(deregisterAfter)
                + ", reconcileInterval=" + ConsulEncoding.goDuration(reconcileInterval)
                + ", watchWait=" + ConsulEncoding.goDuration(watchWait) + ", tags=" + tags + ", meta=" + meta.keySet() + "]";
    }

    private static URI address(Config node, UnaryOperator<String> env) {
        Optional<String> configured = node.asString().asOptional();
        String text;
        boolean fromEnv = false;
        if (configured.isPresent()) {
            text = configured.get().trim();
        } else if (notBlank(env.apply("CONSUL_HTTP_ADDR"))) {
            text = env.apply("CONSUL_HTTP_ADDR").trim();
            fromEnv = true;
        } else {
            text = DEFAULT_ADDRESS;
        }
        if (!text.contains("://")) {
            // Consul's CLI accepts host:port and reads CONSUL_HTTP_SSL for the scheme
            boolean ssl = "true".equalsIgnoreCase(String.valueOf(env.apply("CONSUL_HTTP_SSL")));
            text = (ssl ? "https://" : "http://") + text;
        }
        String expected = "an http:// or https:// URL such as " + DEFAULT_ADDRESS;
        try {
            URI uri = URI.create(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("bad scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            if (fromEnv) {
                throw new ConfigException("environment variable CONSUL_HTTP_ADDR (used because config key '" + node.key()
                        + "' is unset) is '" + text + "'; expected " + expected);
            }
            throw ConfigErrors.invalid(node, text, expected);
        }
    }

    private static Secret token(Config node, UnaryOperator<String> env) {
        Optional<String> configured = node.asString().asOptional();
        if (configured.isPresent()) {
            return notBlank(configured.get()) ? new Secret(configured.get().trim()) : Secret.NONE;
        }
        String fromEnv = env.apply("CONSUL_HTTP_TOKEN");
        if (notBlank(fromEnv)) {
            return new Secret(fromEnv.trim());
        }
        String file = env.apply("CONSUL_HTTP_TOKEN_FILE");
        if (notBlank(file)) {
            try {
                return new Secret(Files.readString(Path.of(file.trim())).trim());
            } catch (Exception e) {
                throw new ConfigException("environment variable CONSUL_HTTP_TOKEN_FILE names '" + file
                        + "', which cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return Secret.NONE;
    }

    private static CheckType checkType(Config node) {
        String text = node.asString().orElse("grpc");
        try {
            return CheckType.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigErrors.invalid(node, text, "one of grpc, http, ttl");
        }
    }

    private static Duration positive(Config node, Duration defaultValue) {
        Duration d = Durations.get(node, defaultValue);
        if (d.isNegative() || d.isZero()) {
            throw ConfigErrors.invalid(node, node.asString().orElse(""), "a positive duration such as 500ms, 5s or PT5S");
        }
        return d;
    }

    private static List<String> tags(Config node) {
        if (!node.exists()) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        if (node.isLeaf()) {
            // "a,b" as a single string is handy in env overrides
            for (String t : node.asString().orElse("").split(",")) {
                if (!t.isBlank()) {
                    tags.add(t.trim());
                }
            }
            return tags;
        }
        for (Config child : node.asNodeList().orElse(List.of())) {
            String t = child.asString().orElseThrow(() -> ConfigErrors.invalid(child, "(not a string)", "a tag string"));
            if (t.isBlank()) {
                throw ConfigErrors.invalid(child, t, "a non-empty tag");
            }
            tags.add(t.trim());
        }
        return tags;
    }

    private static Map<String, String> meta(Config node) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (!node.exists()) {
            return meta;
        }
        if (node.isLeaf()) {
            throw ConfigErrors.invalid(node, node.asString().orElse(""), "a map of key: value pairs");
        }
        for (Config child : node.asNodeList().orElse(List.of())) {
            String value = child.asString().orElseThrow(() -> ConfigErrors.invalid(child, "(a nested node)", "a string value"));
            if (!ConsulEncoding.validMetaKey(child.name())) {
                throw ConfigErrors.invalid(child, value, "a key of letters, digits, '_' or '-' (at most 128 characters, "
                        + "not starting with 'consul-'), as Consul requires for service meta");
            }
            meta.put(child.name(), value);
        }
        return meta;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
