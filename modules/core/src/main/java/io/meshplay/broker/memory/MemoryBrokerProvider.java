package io.meshplay.broker.memory;

import io.helidon.config.Config;
import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerProvider;
import io.meshplay.broker.DeliveryPolicy;

/**
 * {@code broker.type: memory}. Options under {@code broker.memory}: {@code name} (JVM-wide broker,
 * default {@code default}) and the {@link DeliveryPolicy} keys ({@code max-attempts} 5, {@code retry-backoff}
 * 100ms, {@code max-retry-backoff} 1m). Each call returns a new handle on that broker, which its creator closes.
 */
public final class MemoryBrokerProvider implements BrokerProvider {

    public static final String TYPE = "memory";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Broker create(Config config) {
        Config own = config.get(TYPE);
        return MemoryBroker.shared(own.get("name").asString().orElse("default"),
                DeliveryPolicy.create(own, MemoryBroker.DEFAULT_RETRY_BACKOFF));
    }
}
