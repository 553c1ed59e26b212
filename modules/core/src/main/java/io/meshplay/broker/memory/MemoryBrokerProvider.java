package io.meshplay.broker.memory;

import java.time.Duration;

import io.helidon.config.Config;
import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerProvider;
import io.meshplay.config.Durations;

/**
 * {@code broker.type: memory}. Options under {@code broker.memory}: {@code name} (JVM-wide broker,
 * default {@code default}), {@code max-attempts} (5), {@code redelivery-delay} (100ms). Each call returns
 * a new handle on that broker, which its creator closes.
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
                own.get("max-attempts").asInt().orElse(5),
                Durations.get(own.get("redelivery-delay"), Duration.ofMillis(100)));
    }
}
