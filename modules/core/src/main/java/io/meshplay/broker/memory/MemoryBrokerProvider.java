package io.meshplay.broker.memory;

import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerProvider;
import io.meshplay.broker.DeliveryPolicy;
import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.config.PluginProvider;

/**
 * {@code broker.type: memory}: options under {@code broker.memory} are the JVM-wide broker's {@code name}
 * and the {@link DeliveryPolicy} keys. Each call returns a new handle on that broker, which its creator closes.
 */
public final class MemoryBrokerProvider extends PluginProvider<Broker> implements BrokerProvider {

    public static final String TYPE = "memory";
    private static final Option<String> NAME = Option.string("name", "JVM-wide broker to join").defaultValue("default");

    public MemoryBrokerProvider() {
        super(TYPE, Options.of(NAME).and(DeliveryPolicy.options(MemoryBroker.DEFAULT_RETRY_BACKOFF)),
                node -> MemoryBroker.shared(NAME.get(node), DeliveryPolicy.create(node, MemoryBroker.DEFAULT_RETRY_BACKOFF)));
    }
}
