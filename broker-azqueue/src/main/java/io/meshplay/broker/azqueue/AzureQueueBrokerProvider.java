package io.meshplay.broker.azqueue;

import io.helidon.config.Config;
import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerProvider;

/** {@code broker.type: azqueue}; options under {@code broker.azqueue} (see {@link AzureQueueOptions}). */
public final class AzureQueueBrokerProvider implements BrokerProvider {

    public static final String TYPE = "azqueue";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Broker create(Config config) {
        return new AzureQueueBroker(AzureQueueOptions.create(config.get(TYPE)));
    }
}
