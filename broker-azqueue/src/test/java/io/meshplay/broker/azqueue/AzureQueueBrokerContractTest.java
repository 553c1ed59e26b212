package io.meshplay.broker.azqueue;

import io.meshplay.broker.Broker;
import io.meshplay.testing.azurite.Azurite;
import io.meshplay.testing.azurite.AzuriteExtension;
import io.meshplay.testing.contract.BrokerContract;
import io.meshplay.testing.contract.Outage;
import org.junit.jupiter.api.extension.ExtendWith;

/** The azqueue broker against the broker contract, on a real Azurite of its own. */
@ExtendWith(AzuriteExtension.class)
class AzureQueueBrokerContractTest extends BrokerContract {

    private final Azurite azurite;

    AzureQueueBrokerContractTest(Azurite azurite) {
        this.azurite = azurite;
    }

    /**
     * The test settings, with the shortest backoff Azure can honour (it hides a message for whole seconds,
     * so 1 s) and quick polling, so redelivery and poison cases take a few seconds, not minutes.
     */
    @Override
    protected Broker newBroker() {
        return TestBrokers.broker(azurite, "max-attempts", Integer.toString(maxAttempts()), "retry-backoff", "1s",
                "max-retry-backoff", "1s", "max-polling-interval", "200ms", "queue-length-interval", "1s");
    }

    /** Azurite stopped and started on the same port and data, as the emulator restarting would be. */
    @Override
    protected Outage outage() {
        return new Outage() {
            @Override
            public void begin() {
                azurite.stop();
            }

            @Override
            public void end() {
                azurite.start();
            }
        };
    }
}
