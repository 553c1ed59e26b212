package io.meshplay.registry.consul;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.meshplay.config.ConfigErrors;
import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.config.Secret;

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
                                    int checkFailuresBeforeCritical,
                                    Duration deregisterAfter,
                                    Duration reconcileInterval,
                                    Duration watchWait,
                                    Duration watchMaxBackoff,
                                    Duration requestTimeout,
                                    List<String> tags,
                                    Map<String, String> meta) {

    public static final String DEFAULT_ADDRESS = "http://127.0.0.1:8500";
    /** Consul raises anything lower to one minute, so a lower value would silently not mean what it says. */
    public static final Duration MIN_DEREGISTER_AFTER = Duration.ofMinutes(1);

    private static final Option<String> ADDRESS = Option.string("address", "Consul's HTTP API")
            .defaultShown("CONSUL_HTTP_ADDR, else " + DEFAULT_ADDRESS);
    private static final Option<Secret> TOKEN = Option.secret("token",
            "ACL token; CONSUL_HTTP_TOKEN or CONSUL_HTTP_TOKEN_FILE when unset");
    private static final Option<String> DATACENTER = Option.string("datacenter", "datacenter to register in and query")
            .defaultShown("the agent's");
    private static final Option<CheckType> CHECK_TYPE = Option.oneOf("check.type",
            "how Consul decides an instance is healthy", CheckType.class).defaultValue(CheckType.GRPC);
    private static final Option<Duration> CHECK_INTERVAL = positive("check.interval", "how often Consul checks an instance",
            Duration.ofSeconds(5));
    private static final Option<Duration> CHECK_TIMEOUT = positive("check.timeout", "how long one check may take",
            Duration.ofSeconds(2));
    // One probe that times out while the host is busy (every JVM of a compose file starting on 2 cores did
    // that to both servers at once) should not take an instance out of every client; a dead one is dropped
    // by the clients' own connection failures long before the second probe.
    private static final Option<Integer> CHECK_FAILURES_BEFORE_CRITICAL = Option.integer("check.failures-before-critical",
                    "consecutive failed gRPC/HTTP checks before Consul marks an instance critical")
            .range(1, 100).defaultValue(2);
    private static final Option<Duration> DEREGISTER_AFTER = Option.duration("deregister-after",
                    "a crashed instance (critical check) is removed after this")
            .check(d -> d.compareTo(MIN_DEREGISTER_AFTER) >= 0, "at least 1m (Consul's minimum for deregister_critical_service_after)")
            .defaultValue(MIN_DEREGISTER_AFTER);
    private static final Option<Duration> RECONCILE_INTERVAL = positive("reconcile-interval",
            "how often the agent is asked whether it still has the registrations", Duration.ofSeconds(5));
    private static final Option<Duration> WATCH_WAIT = Option.duration("watch-wait", "how long one blocking query waits")
            .range(Duration.ofSeconds(1), Duration.ofMinutes(10), "between 1s and 10m (Consul's blocking-query limit)")
            .defaultValue(Duration.ofSeconds(30));
    private static final Option<Duration> WATCH_MAX_BACKOFF = positive("watch-max-backoff",
            "longest pause between a watch's retries while Consul fails", Duration.ofSeconds(10));
    private static final Option<Duration> REQUEST_TIMEOUT = positive("request-timeout", "how long a call to the agent may take",
            Duration.ofSeconds(5));
    private static final Option<List<String>> TAGS = Option.list("tags", "tags every instance is registered with");
    private static final Option<Map<String, String>> META = Option.map("meta", "metadata every instance is registered with",
            ConsulEncoding::validMetaKey, "a key of letters, digits, '_' or '-' (at most 128 characters, "
                    + "not starting with 'consul-'), as Consul requires for service meta");

    /** What {@link #create} reads under {@code registry.consul}. */
    public static final Options OPTIONS = Options.of(ADDRESS, TOKEN, DATACENTER, CHECK_TYPE, CHECK_INTERVAL, CHECK_TIMEOUT,
            CHECK_FAILURES_BEFORE_CRITICAL, DEREGISTER_AFTER, RECONCILE_INTERVAL, WATCH_WAIT, WATCH_MAX_BACKOFF, REQUEST_TIMEOUT, TAGS, META);

    /** How Consul decides an instance is healthy. */
    public enum CheckType {
        /** Consul calls grpc.health.v1 on the instance's host:port. */
        GRPC,
        /** Consul GETs http://host:port + the instance's {@code health_path} metadata. */
        HTTP,
        /** The registry itself reports "passing" to Consul, every third of the check interval. */
        TTL
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
        return create(registryConfig.get("consul"), env);
    }

    /** Reads its own node, {@code registry.consul}, with the process environment. */
    public static ConsulRegistryOptions create(Config consulConfig) {
        return create(consulConfig, System::getenv);
    }

    private static ConsulRegistryOptions create(Config c, UnaryOperator<String> env) {
        return new ConsulRegistryOptions(address(c, env), token(c, env), DATACENTER.find(c), CHECK_TYPE.get(c),
                CHECK_INTERVAL.get(c), CHECK_TIMEOUT.get(c), CHECK_FAILURES_BEFORE_CRITICAL.get(c), DEREGISTER_AFTER.get(c), RECONCILE_INTERVAL.get(c),
                WATCH_WAIT.get(c), WATCH_MAX_BACKOFF.get(c), REQUEST_TIMEOUT.get(c), TAGS.get(c), META.get(c));
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
                checkFailuresBeforeCritical, deregisterAfter, reconcileInterval, watchWait, watchMaxBackoff, requestTimeout, tags, meta);
    }

    @Override
    public String toString() {
        // goDuration as Consul writes them, and meta keys only: the values are not this log line's business
        return "ConsulRegistryOptions[address=" + address + ", token=" + token + ", datacenter=" + datacenter.orElse("(agent's)")
                + ", check=" + checkType.name().toLowerCase(Locale.ROOT) + " every " + ConsulEncoding.goDuration(checkInterval)
                + " timeout " + ConsulEncoding.goDuration(checkTimeout)
                + (checkType == CheckType.TTL ? "" : " critical after " + checkFailuresBeforeCritical + " failed")
                + ", deregisterAfter=" + ConsulEncoding.goDuration(deregisterAfter)
                + ", reconcileInterval=" + ConsulEncoding.goDuration(reconcileInterval)
                + ", watchWait=" + ConsulEncoding.goDuration(watchWait) + ", tags=" + tags + ", meta=" + meta.keySet() + "]";
    }

    private static URI address(Config c, UnaryOperator<String> env) {
        Config node = c.get(ADDRESS.key());
        Optional<String> configured = ADDRESS.find(c);
        String text;
        boolean fromEnv = false;
        if (configured.isPresent()) {
            text = configured.get();
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

    private static Secret token(Config c, UnaryOperator<String> env) {
        if (TOKEN.isSet(c)) {
            // a blank token in config means none, whatever the environment says
            return TOKEN.find(c).orElse(Secret.NONE);
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

    private static Option<Duration> positive(String key, String description, Duration defaultValue) {
        return Option.duration(key, description)
                .check(Duration::isPositive, "a positive duration such as 500ms, 5s or PT5S")
                .defaultValue(defaultValue);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
