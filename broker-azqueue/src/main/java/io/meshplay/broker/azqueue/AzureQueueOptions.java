package io.meshplay.broker.azqueue;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.meshplay.broker.DeliveryPolicy;
import io.meshplay.config.ConfigErrors;
import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.config.Secret;

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

    // Azure hides a message for whole seconds, so a shorter first pause would round up to this anyway
    private static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_VISIBILITY = Duration.ofDays(7);

    private static final Option<Secret> CONNECTION_STRING = Option.secret("connection-string",
                    "Azure Storage connection string, instead of the account keys")
            .check(s -> s.value().contains("="), "not a connection string",
                    "e.g. DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net")
            // the SDK would fail on first use with "Illegal base64 character 2d", naming neither the key nor the setting
            .check(AzureQueueOptions::accountKeyIsBase64, "a connection string whose account key is not base64 (AccountKey=...)",
                    "the storage account key as the Azure portal shows it, e.g. AccountName=...;AccountKey=<base64>;...");
    private static final Option<String> ACCOUNT_NAME = Option.string("account-name", "storage account")
            .defaultShown(DEV_ACCOUNT + ", Azurite's");
    private static final Option<Secret> ACCOUNT_KEY = Option.secret("account-key", "the storage account's key")
            .check(AzureQueueOptions::base64, "not valid base64: the account key is not base64",
                    "the storage account key as shown by the Azure portal");
    private static final Option<Secret> SAS_TOKEN = Option.secret("sas-token", "shared access signature, instead of account-key");
    private static final Option<String> ENDPOINT = Option.text("endpoint", "queue service URL",
                    "an http(s) URL of the queue service without a query, e.g. " + DEV_ENDPOINT
                            + " or https://<account>.queue.core.windows.net (put a SAS in sas-token)", AzureQueueOptions::endpointUrl)
            .defaultShown("https://<account-name>.queue.core.windows.net, or Azurite's for " + DEV_ACCOUNT);
    private static final Option<Boolean> CREATE_QUEUES = Option.bool("create-queues",
            "create a queue (and its -poison queue) on first use").defaultValue(true);
    private static final Option<Integer> BATCH_SIZE = Option.integer("batch-size", "messages per receive request")
            .range(1, 32).defaultValue(32);
    private static final Option<Duration> VISIBILITY_TIMEOUT = Option.duration("visibility-timeout",
                    "a message being handled stays invisible this long, renewed while the handler runs")
            .range(Duration.ofSeconds(1), MAX_VISIBILITY).defaultValue(Duration.ofSeconds(30));
    private static final Option<Duration> MAX_POLLING_INTERVAL = Option.duration("max-polling-interval",
                    "an empty receive backs off from 100ms, doubling up to this")
            .range(QueueSubscriber.MIN_POLLING, Duration.ofMinutes(10)).defaultValue(Duration.ofSeconds(5));
    private static final Option<Duration> SHUTDOWN_TIMEOUT = Option.duration("shutdown-timeout",
                    "on shutdown, running handlers get this long to finish")
            .range(Duration.ZERO, Duration.ofHours(1)).defaultValue(Duration.ofSeconds(10));
    private static final Option<Duration> REQUEST_TIMEOUT = Option.duration("request-timeout",
                    "how long one call to the queue service may take")
            .range(Duration.ofSeconds(1), Duration.ofMinutes(10)).defaultValue(Duration.ofSeconds(30));
    private static final Option<Duration> QUEUE_LENGTH_INTERVAL = Option.duration("queue-length-interval",
                    "how often queue lengths are measured for the metrics")
            .range(Duration.ofMillis(100), Duration.ofHours(1)).defaultValue(Duration.ofSeconds(15));
    private static final Option<Duration> TIME_TO_LIVE = Option.duration("time-to-live", "how long an unconsumed message lives")
            .range(Duration.ofSeconds(1), MAX_VISIBILITY).defaultShown("the service's, 7 days on Azure");

    /** What {@link #create} reads under {@code broker.azqueue}. */
    public static final Options OPTIONS = Options.of(CONNECTION_STRING, ACCOUNT_NAME, ACCOUNT_KEY, SAS_TOKEN, ENDPOINT,
                    CREATE_QUEUES, BATCH_SIZE, VISIBILITY_TIMEOUT)
            .and(DeliveryPolicy.options(DEFAULT_RETRY_BACKOFF))
            .and(Options.of(MAX_POLLING_INTERVAL, SHUTDOWN_TIMEOUT, REQUEST_TIMEOUT, QUEUE_LENGTH_INTERVAL, TIME_TO_LIVE));

    /** How the broker authenticates. */
    public enum Auth { CONNECTION_STRING, SHARED_KEY, SAS }

    private final Auth auth;
    // the connection string, account key or SAS token, whichever auth uses
    private final Secret credential;
    private final String accountName;
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
        Optional<Secret> connectionString = CONNECTION_STRING.find(c);
        Optional<String> name = ACCOUNT_NAME.find(c);
        Optional<Secret> key = ACCOUNT_KEY.find(c);
        Optional<Secret> sas = SAS_TOKEN.find(c);
        Optional<String> url = ENDPOINT.find(c);
        if (connectionString.isPresent()) {
            if (key.isPresent() || sas.isPresent() || name.isPresent() || url.isPresent()) {
                throw new ConfigException("config key '" + c.get(CONNECTION_STRING.key()).key() + "' is set together with "
                        + "account-name, account-key, sas-token or endpoint; expected either a connection string or those keys, not both");
            }
            auth = Auth.CONNECTION_STRING;
            credential = connectionString.get();
            accountName = null;
            endpoint = null;
        } else if (sas.isPresent()) {
            if (key.isPresent()) {
                throw new ConfigException("config keys '" + c.get(ACCOUNT_KEY.key()).key() + "' and '" + c.get(SAS_TOKEN.key()).key()
                        + "' are both set; expected one of them");
            }
            if (url.isEmpty() && name.isEmpty()) {
                throw ConfigErrors.missing(c.get(ENDPOINT.key()), "the queue service URL (or account-name) to use with the SAS token");
            }
            auth = Auth.SAS;
            String token = sas.get().value();
            credential = new Secret(token.startsWith("?") ? token.substring(1) : token);
            accountName = name.orElse(null);
            endpoint = url.orElseGet(() -> azureEndpoint(name.get()));
        } else {
            auth = Auth.SHARED_KEY;
            accountName = name.orElse(DEV_ACCOUNT);
            boolean dev = DEV_ACCOUNT.equals(accountName);
            if (key.isEmpty() && !dev) {
                throw ConfigErrors.missing(c.get(ACCOUNT_KEY.key()),
                        "the key of account '" + accountName + "' (or set sas-token or connection-string)");
            }
            credential = key.orElse(new Secret(DEV_KEY));
            endpoint = url.orElse(dev ? DEV_ENDPOINT : azureEndpoint(accountName));
        }
        createQueues = CREATE_QUEUES.get(c);
        batchSize = BATCH_SIZE.get(c);
        deliveryPolicy = DeliveryPolicy.create(c, DEFAULT_RETRY_BACKOFF);
        visibilityTimeout = VISIBILITY_TIMEOUT.get(c);
        maxPollingInterval = MAX_POLLING_INTERVAL.get(c);
        shutdownTimeout = SHUTDOWN_TIMEOUT.get(c);
        requestTimeout = REQUEST_TIMEOUT.get(c);
        queueLengthInterval = QUEUE_LENGTH_INTERVAL.get(c);
        timeToLive = TIME_TO_LIVE.find(c);
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
        return credential(Auth.CONNECTION_STRING);
    }

    String accountKey() {
        return credential(Auth.SHARED_KEY);
    }

    String sasToken() {
        return credential(Auth.SAS);
    }

    /** What must never be printed, for {@link SafeErrors}. */
    List<String> secrets() {
        return List.of(credential.value());
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

    private String credential(Auth of) {
        return auth == of ? credential.value() : null;
    }

    private static String azureEndpoint(String account) {
        return "https://" + account + ".queue.core.windows.net";
    }

    private static boolean base64(Secret key) {
        try {
            Base64.getDecoder().decode(key.value());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code AccountKey=} part of a connection string, if it has one, is base64. */
    private static boolean accountKeyIsBase64(Secret connectionString) {
        for (String part : connectionString.value().split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).strip().equalsIgnoreCase("AccountKey")) {
                return base64(new Secret(part.substring(eq + 1).strip()));
            }
        }
        return true;
    }

    private static String endpointUrl(String text) {
        URI uri = URI.create(text);
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null && uri.getRawQuery() == null) {
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        }
        throw new IllegalArgumentException("not a queue service URL");
    }
}
