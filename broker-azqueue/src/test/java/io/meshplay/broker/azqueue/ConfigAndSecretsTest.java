package io.meshplay.broker.azqueue;

import static io.meshplay.broker.azqueue.TestBrokers.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.config.ConfigException;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.Message;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad names, bad config and bad credentials fail clearly, and never print a secret. */
@ExtendWith(AzuriteExtension.class)
class ConfigAndSecretsTest {

    @Test
    void invalidQueueNamesAreRejectedWithTheRule(Azurite azurite) {
        try (AzureQueueBroker broker = TestBrokers.broker(azurite)) {
            assertThatThrownBy(() -> broker.publish("Orders_Queue", Message.of(new byte[] {1})))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid queue name 'Orders_Queue'")
                    .hasMessageContaining("upper-case letter 'O' at position 0")
                    .hasMessageContaining("3-63 characters of lowercase letters, digits and single dashes");
            assertThatThrownBy(() -> broker.publish("ab", Message.of(new byte[] {1}))).hasMessageContaining("it has 2 characters");
            assertThatThrownBy(() -> broker.publish("a--b", Message.of(new byte[] {1}))).hasMessageContaining("two dashes");
            assertThatThrownBy(() -> broker.publish("-ab", Message.of(new byte[] {1}))).hasMessageContaining("starts or ends");
            String longest = "q".repeat(60);
            assertThatThrownBy(() -> broker.subscribe(longest, e -> { }))
                    .hasMessageContaining("at most 56 characters for a subscribed queue")
                    .hasMessageContaining(longest + "-poison");
        }
    }

    @Test
    void wrongAccountKeyIsAClearErrorWithoutTheKey(Azurite azurite) {
        String wrongKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(64));
        List<String> logged = captureLogs();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        System.setErr(new PrintStream(stderr, true));
        try (AzureQueueBroker broker = TestBrokers.broker(azurite, "account-key", wrongKey)) {
            String q = queue("auth");
            Throwable publish = catchThrowable(() -> broker.publish(q, Message.of(new byte[] {1})));
            assertThat(publish).isInstanceOf(AzureQueueBroker.AccessDeniedException.class)
                    .hasMessageContaining("authentication failed (HTTP 403")
                    .hasMessageContaining("check the account name and key");
            assertNoSecret(publish, wrongKey);
            Throwable subscribe = catchThrowable(() -> broker.subscribe(q, e -> { }, SubscribeOptions.defaults()));
            assertThat(subscribe).isInstanceOf(AzureQueueBroker.AccessDeniedException.class);
            assertNoSecret(subscribe, wrongKey);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(String.join("\n", logged) + stderr).doesNotContain(wrongKey).doesNotContain(azurite.key());
    }

    @Test
    void wrongKeyInAConnectionStringIsNotEchoed(Azurite azurite) {
        String wrongKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(64));
        String connectionString = azurite.connectionString().replace(azurite.key(), wrongKey);
        var settings = Map.of("broker.type", "azqueue", "broker.azqueue.connection-string", connectionString,
                "broker.azqueue.request-timeout", "5s");
        try (var broker = Brokers.create(TestBrokers.config(settings).get("broker"))) {
            Throwable error = catchThrowable(() -> broker.publish(queue("cs"), Message.of(new byte[] {1})));
            assertThat(error).hasMessageContaining("authentication failed");
            assertNoSecret(error, wrongKey);
            assertThat(broker.toString() + ((AzureQueueBroker) broker).options()).doesNotContain(wrongKey);
        }
    }

    @Test
    void badConfigValuesNameTheirKey(Azurite azurite) {
        assertConfigError(azurite, "visibility-timeout", "soon", "config key 'broker.azqueue.visibility-timeout' is 'soon'");
        assertConfigError(azurite, "visibility-timeout", "0s", "config key 'broker.azqueue.visibility-timeout' is '0s'");
        assertConfigError(azurite, "batch-size", "50", "config key 'broker.azqueue.batch-size' is '50'; expected an integer from 1 to 32");
        assertConfigError(azurite, "max-dequeue-count", "many", "config key 'broker.azqueue.max-dequeue-count'");
        assertConfigError(azurite, "max-attempts", "many", "config key 'broker.azqueue.max-attempts' is 'many'; expected an integer from 1 to 1000");
        assertConfigError(azurite, "max-dequeue-count", "5",
                "config key 'broker.azqueue.max-dequeue-count' was renamed to 'broker.azqueue.max-attempts'");
        assertConfigError(azurite, "create-queues", "yes please", "config key 'broker.azqueue.create-queues' is 'yes please'; expected true or false");
        assertConfigError(azurite, "endpoint", "ftp://x", "config key 'broker.azqueue.endpoint' is 'ftp://x'");
        assertConfigError(azurite, "max-polling-interval", "1ms", "config key 'broker.azqueue.max-polling-interval'");
        String notBase64 = "this is not base64 !!";
        Throwable keyError = catchThrowable(() -> TestBrokers.broker(azurite, "account-key", notBase64));
        assertThat(keyError).isInstanceOf(ConfigException.class)
                .hasMessageContaining("config key 'broker.azqueue.account-key' (value hidden) is not valid base64");
        assertThat(keyError.getMessage()).doesNotContain(notBase64);
        assertThatThrownBy(() -> TestBrokers.broker(azurite, "connection-string", "AccountName=x;AccountKey=eA=="))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'broker.azqueue.connection-string' is set together with")
                .hasMessageNotContaining("eA==");
        assertThatThrownBy(() -> TestBrokers.broker(azurite, "account-name", "prod", "account-key", ""))
                .hasMessageContaining("config key 'broker.azqueue.account-key' is required");
    }

    @Test
    void defaultsAreTheLocalAzuriteDevAccount() {
        AzureQueueOptions options = AzureQueueOptions.create(TestBrokers.config(Map.of()).get("broker.azqueue"));
        assertThat(options.endpoint()).contains("http://127.0.0.1:10001/devstoreaccount1");
        assertThat(options.auth()).isEqualTo(AzureQueueOptions.Auth.SHARED_KEY);
        assertThat(options.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.deliveryPolicy().maxAttempts()).isEqualTo(5);
        assertThat(options.batchSize()).isEqualTo(32);
        assertThat(options.maxPollingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.timeToLive()).isEmpty();
        assertThat(options.createQueues()).isTrue();
        assertThat(options.toString()).doesNotContain(AzureQueueOptions.DEV_KEY);
        AzureQueueOptions sas = AzureQueueOptions.create(TestBrokers.config(Map.of("broker.azqueue.account-name", "prod",
                "broker.azqueue.sas-token", "?sv=2024-01-01&sig=c2VjcmV0c2lnbmF0dXJl")).get("broker.azqueue"));
        assertThat(sas.endpoint()).contains("https://prod.queue.core.windows.net");
        assertThat(sas.toString()).doesNotContain("c2VjcmV0c2lnbmF0dXJl");
        assertThat(AzureQueueOptions.create(TestBrokers.config(Map.of("broker.azqueue.visibility-timeout", "PT45S",
                "broker.azqueue.time-to-live", "1h")).get("broker.azqueue")))
                .satisfies(o -> assertThat(o.visibilityTimeout()).isEqualTo(Duration.ofSeconds(45)))
                .satisfies(o -> assertThat(o.timeToLive()).contains(Duration.ofHours(1)));
    }

    @Test
    void anEmptyAzqueueSectionInYamlMeansAllDefaults() {
        var config = io.helidon.config.Config.just(io.helidon.config.ConfigSources.create(
                "broker:\n  type: azqueue\n  azqueue:\n    # nothing set\n", io.helidon.common.media.type.MediaTypes.APPLICATION_X_YAML));
        try (var broker = Brokers.create(config.get("broker"))) {
            assertThat(broker).isInstanceOf(AzureQueueBroker.class);
            assertThat(((AzureQueueBroker) broker).options().endpoint()).contains(AzureQueueOptions.DEV_ENDPOINT);
        }
    }

    @Test
    void redactionCoversSasSignaturesAndKeys() {
        SafeErrors errors = new SafeErrors(List.of("s3cr3t-key-value"));
        assertThat(errors.redact("GET https://a.queue.core.windows.net/q?sv=1&sig=abc%2Fdef&se=2 failed"))
                .doesNotContain("abc%2Fdef").contains("sig=***");
        assertThat(errors.redact("AccountName=a;AccountKey=xyz==;EndpointSuffix=e")).doesNotContain("xyz==");
        assertThat(errors.redact("key s3cr3t-key-value leaked")).isEqualTo("key *** leaked");
        assertThat(errors.redact("The MAC signature found in the HTTP request 'QmFk' is not the same")).doesNotContain("QmFk");
    }

    private static void assertConfigError(Azurite azurite, String key, String value, String expected) {
        assertThatThrownBy(() -> TestBrokers.broker(azurite, key, value))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    private static void assertNoSecret(Throwable error, String secret) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret).doesNotContain(Azurite.KEY);
            assertThat(t.toString()).doesNotContain(secret);
        }
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }

    /** Everything the broker's loggers say during the test. */
    private static final Logger BROKER_LOGGER = Logger.getLogger("io.meshplay.broker.azqueue");

    private static List<String> captureLogs() {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Logger logger = BROKER_LOGGER; // a static reference: JUL holds loggers weakly
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return lines;
    }
}
