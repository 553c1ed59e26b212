package io.meshplay.broker.azqueue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.meshplay.broker.DeliveryPolicy;
import io.meshplay.config.ConfigErrors;
import io.meshplay.config.Durations;

/**
 * The broker's settings, read from {@code broker.azqueue}. Credentials come from exactly one of:
 * {@code connection-string}; {@code account-name} + {@code account-key} (+ {@code endpoint});
 * {@code sas-token} + {@code endpoint} (or {@code account-name}). With none of them, Azurite's public
 * dev account on {@code http://127.0.0.1:10001/devstoreaccount1} is used. Secrets are never part of
 * {@link #toString()} or of an error message.
 */
public final class AzureQueueOptions {

    /** Azurite's built-in account and its key, both published by Microsoft. */
    public static final String DEV_ACCOUNT = "devstoreaccount1";
    static final String DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public static final String DEV_ENDPOINT = "http://127.0.0.1:10001/" + DEV_ACCOUNT;

    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_POLLING_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    /** Azure hides a message for whole seconds, so a shorter first pause would round up to this anyway. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_QUEUE_LENGTH_INTERVAL = Duration.ofSeconds(15);
    public static final int DEFAULT_BATCH_SIZE = 32;
    private static final Duration MAX_VISIBILITY = Duration.ofDays(7);

    /** How the broker authenticates. */
    public enum Auth { CONNECTION_STRING, SHARED_KEY, SAS }

    private final Auth auth;
    private final String connectionString;
    private final String accountName;
    private final String accountKey;
    private final String sasToken;
    private final String endpoint;
    private final boolean createQueues;
    private final int batchSize;
    private final Duration visibilityTimeout;
    private final DeliveryPolicy deliveryPolicy;
    private final Duration maxPollingInterval;
    private final Duration shutdownTimeout;
    private final Duration requestTimeout;
    private final Duration queueLengthInterval;
    private final Optional<Duration> timeToLive;

    private AzureQueueOptions(Config c) {
        Config cs = c.get("connection-string");
        Config name = c.get("account-name");
        Config key = c.get("account-key");
        Config sas = c.get("sas-token");
        Config ep = c.get("endpoint");
        connectionString = secret(cs);
        String keyText = secret(key);
        String sasText = secret(sas);
        String nameText = name.asString().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        String endpointText = ep.asString().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);

        if (connectionString != null) {
            if (keyText != null || sasText != null || nameText != null || endpointText != null) {
                throw new ConfigException("config key '" + cs.key() + "' is set together with account-name, account-key, "
                        + "sas-token or endpoint; expected either a connection string or those keys, not both");
            }
            if (!connectionString.contains("=")) {
                throw new ConfigException("config key '" + cs.key() + "' (value hidden) is not a connection string; "
                        + "expected e.g. DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net");
            }
            auth = Auth.CONNECTION_STRING;
            accountName = null;
            accountKey = null;
            sasToken = null;
            endpoint = null;
        } else if (sasText != null) {
            if (keyText != null) {
                throw new ConfigException("config keys '" + key.key() + "' and '" + sas.key() + "' are both set; expected one of them");
            }
            if (endpointText == null && nameText == null) {
                throw ConfigErrors.missing(ep, "the queue service URL (or account-name) to use with the SAS token");
            }
            auth = Auth.SAS;
            accountName = nameText;
            accountKey = null;
            sasToken = sasText.startsWith("?") ? sasText.substring(1) : sasText;
            endpoint = endpointText != null ? endpoint(ep, endpointText) : "https://" + nameText + ".queue.core.windows.net";
        } else {
            auth = Auth.SHARED_KEY;
            accountName = nameText != null ? nameText : DEV_ACCOUNT;
            if (keyText == null && !DEV_ACCOUNT.equals(accountName)) {
                throw ConfigErrors.missing(key, "the key of account '" + accountName + "' (or set sas-token or connection-string)");
            }
            accountKey = keyText != null ? keyText : DEV_KEY;
            try {
                Base64.getDecoder().decode(accountKey);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("config key '" + key.key() + "' (value hidden) is not valid base64; expected the "
                        + "storage account key as shown by the Azure portal");
            }
            sasToken = null;
            endpoint = endpointText != null ? endpoint(ep, endpointText)
                    : DEV_ACCOUNT.equals(accountName) ? DEV_ENDPOINT : "https://" + accountName + ".queue.core.windows.net";
        }

        createQueues = bool(c.get("create-queues"), true);
        batchSize = integer(c.get("batch-size"), DEFAULT_BATCH_SIZE, 1, 32);
        deliveryPolicy = DeliveryPolicy.create(c, DEFAULT_RETRY_BACKOFF);
        visibilityTimeout = duration(c.get("visibility-timeout"), DEFAULT_VISIBILITY_TIMEOUT, Duration.ofSeconds(1), MAX_VISIBILITY);
        maxPollingInterval = duration(c.get("max-polling-interval"), DEFAULT_MAX_POLLING_INTERVAL,
                QueueSubscriber.MIN_POLLING, Duration.ofMinutes(10));
        shutdownTimeout = duration(c.get("shutdown-timeout"), DEFAULT_SHUTDOWN_TIMEOUT, Duration.ZERO, Duration.ofHours(1));
        requestTimeout = duration(c.get("request-timeout"), DEFAULT_REQUEST_TIMEOUT, Duration.ofSeconds(1), Duration.ofMinutes(10));
        queueLengthInterval = duration(c.get("queue-length-interval"), DEFAULT_QUEUE_LENGTH_INTERVAL,
                Duration.ofMillis(100), Duration.ofHours(1));
        Config ttl = c.get("time-to-live");
        timeToLive = ttl.exists() ? Optional.of(duration(ttl, null, Duration.ofSeconds(1), MAX_VISIBILITY)) : Optional.empty();
    }

    /**
     * @param config the {@code broker.azqueue} node (may be missing: all defaults)
     */
    public static AzureQueueOptions create(Config config) {
        return new AzureQueueOptions(config);
    }

    public Auth auth() {
        return auth;
    }

    /** The queue service URL, or empty when it comes from the connection string. */
    public Optional<String> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    public Optional<String> accountName() {
        return Optional.ofNullable(accountName);
    }

    public boolean createQueues() {
        return createQueues;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    /** max-attempts, retry-backoff and max-retry-backoff: the rules every broker shares. */
    public DeliveryPolicy deliveryPolicy() {
        return deliveryPolicy;
    }

    public Duration maxPollingInterval() {
        return maxPollingInterval;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration queueLengthInterval() {
        return queueLengthInterval;
    }

    /** The broker-wide time to live; empty means the service default (7 days on Azure). */
    public Optional<Duration> timeToLive() {
        return timeToLive;
    }

    String connectionString() {
        return connectionString;
    }

    String accountKey() {
        return accountKey;
    }

    String sasToken() {
        return sasToken;
    }

    /** What must never be printed, for {@link SafeErrors}. */
    List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        secrets.add(connectionString);
        secrets.add(accountKey);
        secrets.add(sasToken);
        return secrets;
    }

    @Override
    public String toString() {
        return "AzureQueueOptions[auth=" + auth
                + (endpoint != null ? ", endpoint=" + endpoint : "")
                + (accountName != null ? ", account=" + accountName : "")
                + ", credentials=***, create-queues=" + createQueues + ", batch-size=" + batchSize
                + ", visibility-timeout=" + visibilityTimeout + ", " + deliveryPolicy
                + ", max-polling-interval=" + maxPollingInterval + ", shutdown-timeout=" + shutdownTimeout
                + ", request-timeout=" + requestTimeout + ", time-to-live=" + timeToLive.map(Duration::toString).orElse("service default")
                + "]";
    }

    private static String secret(Config node) {
        return node.asString().map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }

    private static String endpoint(Config node, String text) {
        try {
            URI uri = URI.create(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null) {
                return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw ConfigErrors.invalid(node, text, "an http(s) URL of the queue service without a query, e.g. "
                + DEV_ENDPOINT + " or https://<account>.queue.core.windows.net (put a SAS in sas-token)");
    }

    private static boolean bool(Config node, boolean defaultValue) {
        Optional<String> text = node.asString().map(String::strip);
        if (text.isEmpty()) {
            return defaultValue;
        }
        return switch (text.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ConfigErrors.invalid(node, text.get(), "true or false");
        };
    }

    private static int integer(Config node, int defaultValue, int min, int max) {
        Optional<String> text = node.asString().map(String::strip);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ConfigErrors.invalid(node, text.get(), "an integer from " + min + " to " + max);
    }

    private static Duration duration(Config node, Duration defaultValue, Duration min, Duration max) {
        Duration value = Durations.get(node, defaultValue);
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw ConfigErrors.invalid(node, node.asString().orElse(""), "a duration from " + min + " to " + max
                    + " (e.g. 500ms, 5s, 1m or PT5S)");
        }
        return value;
    }
}
