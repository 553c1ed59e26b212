package io.meshplay.broker;

import io.helidon.config.Config;

/** A broker plug-in, found through {@link java.util.ServiceLoader} and chosen by {@code broker.type}. */
public interface BrokerProvider {

    /** The name used in {@code broker.type}. */
    String type();

    /**
     * @param config the {@code broker} node; a plug-in reads its own options under {@code <type>}
     */
    Broker create(Config config);
}
