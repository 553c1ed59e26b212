package io.meshplay.broker.azqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.testing.azurite.Azurite;

/** Brokers with test-sized timeouts against a test's Azurite, and a raw SDK view of its queues. */
final class TestBrokers {

    private static final AtomicInteger QUEUES = new AtomicInteger();

    private TestBrokers() {
    }

    /** Settings every test starts from: 2 s visibility, 3 tries, short backoffs and polling. */
    static Map<String, String> settings(Azurite azurite) {
        Map<String, String> settings = new HashMap<>();
        settings.put("broker.type", "azqueue");
        settings.put("broker.azqueue.account-name", azurite.account());
        settings.put("broker.azqueue.account-key", azurite.key());
        settings.put("broker.azqueue.endpoint", azurite.endpoint());
        settings.put("broker.azqueue.visibility-timeout", "2s");
        settings.put("broker.azqueue.max-attempts", "3");
        settings.put("broker.azqueue.retry-backoff", "1s");
        settings.put("broker.azqueue.max-retry-backoff", "2s");
        settings.put("broker.azqueue.max-polling-interval", "500ms");
        settings.put("broker.azqueue.shutdown-timeout", "5s");
        settings.put("broker.azqueue.request-timeout", "5s");
        settings.put("broker.azqueue.queue-length-interval", "300ms");
        return settings;
    }

    static Config config(Map<String, String> settings) {
        return Config.just(ConfigSources.create(settings));
    }

    /** A broker made the way apps make it: through {@link Brokers} and the ServiceLoader. */
    static AzureQueueBroker broker(Azurite azurite, String... overrides) {
        Map<String, String> settings = settings(azurite);
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            settings.put("broker.azqueue." + overrides[i], overrides[i + 1]);
        }
        Broker broker = Brokers.create(config(settings).get("broker"));
        return (AzureQueueBroker) broker;
    }

    /** A fresh queue name per test, so tests never see each other's messages. */
    static String queue(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + QUEUES.incrementAndGet();
    }

    /** The SDK directly, bypassing the broker: to write malformed messages and to inspect queues. */
    static QueueClient raw(Azurite azurite, String queue) {
        return new QueueClientBuilder()
                .connectionString(azurite.connectionString())
                .queueName(queue)
                .serviceVersion(QueueConnection.SERVICE_VERSION)
                .httpClient(new JdkHttpClientBuilder().build())
                .buildClient();
    }

    /** Receives everything visible now (with a short visibility), e.g. to prove nothing was left invisible. */
    static List<QueueMessageItem> drainVisible(QueueClient queue) {
        List<QueueMessageItem> all = new ArrayList<>();
        while (true) {
            List<QueueMessageItem> batch = new ArrayList<>();
            queue.receiveMessages(32, Duration.ofSeconds(30), null, null).forEach(batch::add);
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
        }
    }
}
