package io.meshplay.broker;

import java.time.Duration;
import java.util.Map;

import io.helidon.config.ConfigException;
import io.meshplay.config.MeshplayConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryPolicyTest {

    private final DeliveryPolicy policy = new DeliveryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(3));
    private final Message message = Message.of(new byte[] {1});

    @Test
    void returningAcknowledgesAndThrowingRedeliversWithADoublingCappedBackoff() {
        assertThat(policy.handle(event -> { }, new Event("t", message, 1))).isEqualTo(Settlement.ACKNOWLEDGE);
        IllegalStateException boom = new IllegalStateException("boom");
        Handler failing = event -> {
            throw boom;
        };
        assertThat(policy.handle(failing, new Event("t", message, 1))).isEqualTo(new Settlement.Redeliver(Duration.ofSeconds(1), boom));
        assertThat(policy.handle(failing, new Event("t", message, 2))).isEqualTo(new Settlement.Redeliver(Duration.ofSeconds(2), boom));
        assertThat(new DeliveryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(3)).backoff(4)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.handle(failing, new Event("t", message, 3)))
                .isEqualTo(new Settlement.Reject("handler failed 3 times (max-attempts 3)", boom));
    }

    @Test
    void poisonAndUndecodableAreGivenUpAtOnceWithTheirReason() {
        assertThat(policy.failed(1, new PoisonMessageException("unknown schema v9")))
                .isInstanceOfSatisfying(Settlement.Reject.class,
                        r -> assertThat(r.reason()).isEqualTo("handler rejected the message: unknown schema v9"));
        assertThat(policy.failed(1, new UndecodableMessageException("undecodable: not a valid Ping")))
                .isInstanceOfSatisfying(Settlement.Reject.class,
                        r -> assertThat(r.reason()).isEqualTo("undecodable: not a valid Ping"));
    }

    @Test
    void aMessageReceivedMoreOftenThanAllowedIsGivenUpBeforeTheHandler() {
        assertThat(policy.beforeHandling(3)).isEmpty();
        assertThat(policy.beforeHandling(4)).hasValueSatisfying(r -> {
            assertThat(r.reason()).startsWith("delivered 4 times without being settled").endsWith("max-attempts is 3");
            assertThat(r.error()).isNull();
        });
    }

    @Test
    void theRejectionCarriesThePoisonHeaders() {
        Message poisoned = new Settlement.Reject("handler failed 3 times (max-attempts 3)", new IllegalStateException("x"))
                .poisoned(new Message(Map.of("a", "b"), new byte[] {7}), "orders", "order-handler", 3);
        assertThat(poisoned.headers()).containsEntry("a", "b")
                .containsEntry(Poison.REASON, "handler failed 3 times (max-attempts 3)")
                .containsEntry(Poison.HANDLER, "order-handler")
                .containsEntry(Poison.SOURCE, "orders")
                .containsEntry(Poison.ATTEMPTS, "3")
                .containsEntry(Poison.ERROR, "java.lang.IllegalStateException: x");
        assertThat(poisoned.body()).containsExactly(7);
    }

    @Test
    void settingsHaveOneNameInEveryBrokerAndCheckedRanges() {
        DeliveryPolicy defaults = DeliveryPolicy.create(config(Map.of()), Duration.ofMillis(100));
        assertThat(defaults.maxAttempts()).isEqualTo(5);
        assertThat(defaults.retryBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(defaults.maxRetryBackoff()).isEqualTo(Duration.ofMinutes(1));
        DeliveryPolicy set = DeliveryPolicy.create(config(Map.of("broker.memory.max-attempts", "2",
                "broker.memory.retry-backoff", "2m")), Duration.ofMillis(100));
        assertThat(set.maxAttempts()).isEqualTo(2);
        assertThat(set.maxRetryBackoff()).as("the cap follows a first pause above its default").isEqualTo(Duration.ofMinutes(2));

        assertThatThrownBy(() -> DeliveryPolicy.create(config(Map.of("broker.memory.max-attempts", "0")), Duration.ZERO))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'broker.memory.max-attempts' is '0'; expected an integer from 1 to 1000");
        assertThatThrownBy(() -> DeliveryPolicy.create(config(Map.of("broker.memory.retry-backoff", "5s",
                "broker.memory.max-retry-backoff", "1s")), Duration.ZERO))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config key 'broker.memory.max-retry-backoff' is '1s'; expected a duration from 5s");
    }

    @Test
    void oldNamesFailAndNameTheNewOnes() {
        assertThatThrownBy(() -> Brokers.create(MeshplayConfig.of(Map.of("broker.type", "memory",
                "broker.memory.redelivery-delay", "100ms")).get("broker")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config key 'broker.memory.redelivery-delay' was renamed to 'broker.memory.retry-backoff'");
        assertThatThrownBy(() -> DeliveryPolicy.create(config(Map.of("broker.memory.max-dequeue-count", "5")), Duration.ZERO))
                .hasMessageStartingWith("config key 'broker.memory.max-dequeue-count' was renamed to 'broker.memory.max-attempts'");
    }

    private static io.helidon.config.Config config(Map<String, String> settings) {
        return MeshplayConfig.of(settings).get("broker.memory");
    }
}
