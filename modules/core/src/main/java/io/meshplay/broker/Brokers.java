package io.meshplay.broker;

import io.helidon.config.Config;
import io.meshplay.config.Plugins;

/** Creates the broker named by config. */
public final class Brokers {

    public static final String DEFAULT_TYPE = "memory";

    private Brokers() {
    }

    /**
     * @param brokerConfig the {@code broker} node
     */
    public static Broker create(Config brokerConfig) {
        return Plugins.load(brokerConfig, BrokerProvider.class, BrokerProvider::type, DEFAULT_TYPE)
                .create(brokerConfig);
    }
}
