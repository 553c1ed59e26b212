package io.meshplay.broker;

import io.helidon.config.Config;
import io.meshplay.config.Options;
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

    /** {@code broker.type} and the options of every installed broker plug-in, for {@code --help}. */
    public static Options options() {
        return Plugins.options("broker", BrokerProvider.class, BrokerProvider::type, BrokerProvider::options, DEFAULT_TYPE);
    }
}
