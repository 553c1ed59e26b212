package io.meshplay.broker.azqueue;

import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerProvider;
import io.meshplay.config.PluginProvider;

/** {@code broker.type: azqueue}; options under {@code broker.azqueue} (see {@link AzureQueueOptions}). */
public final class AzureQueueBrokerProvider extends PluginProvider<Broker> implements BrokerProvider {

    public static final String TYPE = "azqueue";

    public AzureQueueBrokerProvider() {
        super(TYPE, AzureQueueOptions.OPTIONS, node -> new AzureQueueBroker(AzureQueueOptions.create(node)));
    }
}
