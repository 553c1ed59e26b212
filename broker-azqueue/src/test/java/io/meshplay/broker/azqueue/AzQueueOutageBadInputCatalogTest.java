package io.meshplay.broker.azqueue;

import static io.meshplay.broker.azqueue.CatalogSupport.WAIT;
import static io.meshplay.broker.azqueue.TestBrokers.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import com.azure.storage.queue.QueueServiceClientBuilder;
import io.helidon.config.ConfigException;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.BrokerException;
import io.meshplay.broker.Message;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue service going away and credentials that do not work (catalogue ids,
 * docs/bad-input/azqueue.md): a few lines from meshplay, none from the Azure SDK, and errors that say what
 * is wrong and where, never the key. A class of its own: it stops its Azurite.
 */
@ExtendWith(AzuriteExtension.class)
class AzQueueOutageBadInputCatalogTest {

    @Test
    @DisplayName("Q-15 the queue service stops under a running subscriber: one warning, one recovery line, no SDK lines")
    void outageUnderASubscriber(Azurite azurite) {
        String q = queue("q15");
        try (AzureQueueBroker broker = TestBrokers.broker(azurite, "max-polling-interval", "200ms")) {
            Set<Byte> handled = ConcurrentHashMap.newKeySet();
            broker.subscribe(q, e -> handled.add(e.message().body()[0]));
            broker.publish(q, Message.of(new byte[] {1}));
            await().atMost(WAIT).until(() -> handled.size() == 1);
            long faultsBefore = BrokerMetrics.of(q).faults.count();
            try (var log = new CatalogSupport.LogCapture()) {
                azurite.stop();
                try {
                    // polls every 200 ms at most: a dozen failed receives in a few seconds, as in the 12 s outage measured
                    await().atMost(WAIT).until(() -> BrokerMetrics.of(q).faults.count() - faultsBefore >= 8);
                } finally {
                    azurite.start();
                }
                broker.publish(q, Message.of(new byte[] {2}));
                await().atMost(WAIT).until(() -> handled.size() == 2);
                await().atMost(WAIT).until(() -> !log.linesContaining("works again").isEmpty());

                assertThat(log.sdkLines()).as("the Azure SDK's own lines").isEmpty();
                assertThat(log.lines()).as("everything logged over the outage").hasSizeLessThan(5);
                assertThat(log.linesContaining("receive from queue '" + q + "' failed")).singleElement().asString()
                        .startsWith("WARNING")
                        .contains("the Azure Storage queue service at " + azurite.endpoint() + " is unreachable (");
                assertThat(log.linesContaining("receive from queue '" + q + "' works again")).singleElement().asString()
                        .startsWith("INFO");
            }
        }
    }

    @Test
    @DisplayName("Q-16 publishing while the queue service is down: a BrokerException saying it is unreachable, and where")
    void publishDuringAnOutage(Azurite azurite) {
        String q = queue("q16");
        try (AzureQueueBroker broker = TestBrokers.broker(azurite); var log = new CatalogSupport.LogCapture()) {
            broker.publish(q, Message.of(new byte[] {1}));
            azurite.stop();
            Throwable error;
            try {
                error = catchThrowable(() -> broker.publish(q, Message.of(new byte[] {2})));
            } finally {
                azurite.start();
            }
            assertThat(error).isInstanceOf(BrokerException.class)
                    .hasMessageStartingWith("azqueue: cannot send to queue '" + q + "': the Azure Storage queue service at "
                            + azurite.endpoint() + " is unreachable (");
            assertThat(log.sdkLines()).isEmpty();
            broker.publish(q, Message.of(new byte[] {3}));
        }
    }

    @Test
    @DisplayName("Q-17 a wrong but well-formed account key: AccessDeniedException naming account and endpoint, not the key; no log flood")
    void wrongAccountKey(Azurite azurite) {
        String wrongKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(64));
        String q = queue("q17");
        try (AzureQueueBroker broker = TestBrokers.broker(azurite, "account-key", wrongKey); var log = new CatalogSupport.LogCapture()) {
            Throwable subscribe = catchThrowable(() -> broker.subscribe(q, e -> { }, SubscribeOptions.defaults()));
            Throwable publish = catchThrowable(() -> broker.publish(q, Message.of(new byte[] {1})));
            for (Throwable error : new Throwable[] {subscribe, publish}) {
                assertThat(error).isInstanceOf(AzureQueueBroker.AccessDeniedException.class)
                        .hasMessageContaining("authentication failed (HTTP 403 AuthenticationFailed)")
                        .hasMessageContaining("(account '" + Azurite.ACCOUNT + "' at " + azurite.endpoint() + ")");
                for (Throwable t = error; t != null; t = t.getCause()) {
                    assertThat(String.valueOf(t)).doesNotContain(wrongKey);
                }
            }
            assertThat(log.sdkLines()).isEmpty();
            assertThat(log.lines()).isEmpty();
        }
    }

    @Test
    @DisplayName("Q-18 a SAS that expires while subscribed: one ERROR line naming account and endpoint, then quiet")
    void sasExpiresWhileSubscribed(Azurite azurite) {
        String sas = new QueueServiceClientBuilder().connectionString(azurite.connectionString())
                .serviceVersion(QueueConnection.SERVICE_VERSION).httpClient(new JdkHttpClientBuilder().build()).buildClient()
                .generateAccountSas(new AccountSasSignatureValues(OffsetDateTime.now().plusSeconds(5),
                        AccountSasPermission.parse("rwdlacup"), AccountSasService.parse("q"), AccountSasResourceType.parse("sco")));
        Map<String, String> settings = new HashMap<>(TestBrokers.settings(azurite));
        settings.remove("broker.azqueue.account-key");
        settings.remove("broker.azqueue.account-name");
        settings.put("broker.azqueue.sas-token", sas);
        settings.put("broker.azqueue.max-polling-interval", "200ms");
        String q = queue("q18");
        try (var broker = Brokers.create(TestBrokers.config(settings).get("broker")); var log = new CatalogSupport.LogCapture()) {
            broker.subscribe(q, e -> { });
            await().atMost(WAIT).until(() -> !log.linesContaining("receive from queue '" + q + "' failed").isEmpty());
            long faults = BrokerMetrics.of(q).faults.count();
            await().atMost(WAIT).until(() -> BrokerMetrics.of(q).faults.count() - faults >= 5); // still polling, quietly

            assertThat(log.linesContaining("receive from queue '" + q + "' failed")).singleElement().asString()
                    .startsWith("SEVERE")
                    .contains("authentication failed (HTTP 403")
                    .contains("(account '" + Azurite.ACCOUNT + "' at " + azurite.endpoint() + ")")
                    .doesNotContain(sas.substring(sas.indexOf("sig=") + 4));
            assertThat(log.lines()).as("besides 'created queue' and 'subscribed', nothing: no line per poll")
                    .filteredOn(l -> !l.contains("azqueue: created queue") && !l.contains("azqueue: subscribed")).hasSize(1);
            assertThat(log.sdkLines()).isEmpty();
        }
    }

    @Test
    @DisplayName("Q-19 a connection string whose AccountKey is not base64: a config error naming the key, value hidden")
    void connectionStringKeyNotBase64(Azurite azurite) {
        String connectionString = azurite.connectionString().replace(azurite.key(), "not-base64-at-all");
        Throwable error = catchThrowable(() -> Brokers.create(TestBrokers.config(Map.of("broker.type", "azqueue",
                "broker.azqueue.connection-string", connectionString)).get("broker")));
        assertThat(error).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config key 'broker.azqueue.connection-string' (value hidden) is a connection string "
                        + "whose account key is not base64")
                .hasMessageNotContaining("not-base64-at-all")
                .hasMessageNotContaining("Illegal base64 character");
    }

    @Test
    @DisplayName("Q-20 an account-key that is not base64: a config error naming the key, value hidden")
    void accountKeyNotBase64(Azurite azurite) {
        Throwable error = catchThrowable(() -> TestBrokers.broker(azurite, "account-key", "not-base64-at-all"));
        assertThat(error).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config key 'broker.azqueue.account-key' (value hidden) is not valid base64: "
                        + "the account key is not base64")
                .hasMessageNotContaining("not-base64-at-all");
    }
}
