package io.meshplay.broker.azqueue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceVersion;
import io.meshplay.broker.BrokerException;

/**
 * SDK clients for the configured account, one per queue, sharing one JDK HTTP client (no Netty).
 */
final class QueueConnection {

    /**
     * The SDK's default version (2026-02-06 in 12.29) is newer than Azurite accepts; this one is
     * served by Azure and by Azurite 3.37.
     */
    static final QueueServiceVersion SERVICE_VERSION = QueueServiceVersion.V2025_11_05;
    /** The SDK retries each request a few times quickly; longer outages are the receive loop's business. */
    private static final int SDK_TRIES = 3;

    private final AzureQueueOptions options;
    private final SafeErrors errors;
    private final HttpClient http;
    private final Map<String, QueueClient> clients = new ConcurrentHashMap<>();

    QueueConnection(AzureQueueOptions options, SafeErrors errors) {
        this.options = options;
        this.errors = errors;
        this.http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder()
                // Azure Storage speaks HTTP/1.1; asking for h2c would add an upgrade dance to every new connection
                .version(java.net.http.HttpClient.Version.HTTP_1_1))
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(options.requestTimeout())
                .build();
    }

    /** The client for {@code queue}; the name must already be valid. */
    QueueClient queue(String queue) {
        return clients.computeIfAbsent(queue, this::build);
    }

    /**
     * Where the queue service is, for messages: the configured endpoint, or the one the connection string
     * names (read from a built client, never from the string itself, which holds the key).
     */
    String endpoint(String queue) {
        if (options.endpoint().isPresent()) {
            return options.endpoint().get();
        }
        try {
            String url = queue(queue).getQueueUrl();
            return url.endsWith("/" + queue) ? url.substring(0, url.length() - queue.length() - 1) : url;
        } catch (RuntimeException e) {
            return "the connection string's endpoint";
        }
    }

    /** The storage account, for messages about refused credentials. */
    String account(String queue) {
        if (options.accountName().isPresent()) {
            return options.accountName().get();
        }
        try {
            return queue(queue).getAccountName();
        } catch (RuntimeException e) {
            return "the connection string's account";
        }
    }

    private QueueClient build(String queue) {
        QueueClientBuilder builder = new QueueClientBuilder()
                .queueName(queue)
                .httpClient(http)
                .serviceVersion(SERVICE_VERSION)
                // the envelope is JSON text and the seed's plain form is already base64: send text as is
                .messageEncoding(QueueMessageEncoding.NONE)
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, SDK_TRIES, options.requestTimeout(),
                        Duration.ofMillis(100), Duration.ofSeconds(1), null));
        try {
            switch (options.auth()) {
                case CONNECTION_STRING -> builder.connectionString(options.connectionString());
                case SHARED_KEY -> builder.endpoint(options.endpoint().orElseThrow())
                        .credential(new StorageSharedKeyCredential(options.accountName().orElseThrow(), options.accountKey()));
                case SAS -> builder.endpoint(options.endpoint().orElseThrow()).sasToken(options.sasToken());
            }
            return builder.buildClient();
        } catch (RuntimeException e) {
            // the SDK quotes the connection string in some of these messages
            throw new BrokerException("cannot build an Azure queue client for '" + queue + "' from broker.azqueue settings: "
                    + errors.describe(e), errors.sanitized(e));
        }
    }
}
