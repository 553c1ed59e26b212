package io.meshplay.broker;

import io.helidon.config.Config;
import io.meshplay.config.Options;

/** A broker plug-in, found through {@link java.util.ServiceLoader} and chosen by {@code broker.type}. */
public interface BrokerProvider {

    /** The name used in {@code broker.type}. */
    String type();

    /**
     * The options it reads under {@code broker.<type>}, which every app's {@code --help} lists. A provider
     * that extends {@link io.meshplay.config.PluginProvider} declares them in its constructor.
     */
    default Options options() {
        return Options.none();
    }

    /**
     * @param config the {@code broker} node; a plug-in reads its own options under {@code <type>}
     */
    Broker create(Config config);
}
