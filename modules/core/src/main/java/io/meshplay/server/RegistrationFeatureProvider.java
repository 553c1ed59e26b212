package io.meshplay.server;

import io.helidon.config.Config;
import io.helidon.webserver.spi.ServerFeatureProvider;

/**
 * Lets any Helidon SE server register by configuration alone, under
 * {@code server.features.meshplay-registration} (see {@link RegistrationConfig}).
 *
 * <p>Helidon asks every provider on the class path for a feature, configured or not; without its node
 * the feature is off, so adding meshplay-core to a server registers nothing by itself.
 */
public final class RegistrationFeatureProvider implements ServerFeatureProvider<RegistrationFeature> {

    /** @deprecated for {@link java.util.ServiceLoader} only */
    @Deprecated
    public RegistrationFeatureProvider() {
    }

    @Override
    public String configKey() {
        return RegistrationFeature.NAME;
    }

    @Override
    public RegistrationFeature create(Config config, String name) {
        RegistrationConfig.Builder builder = RegistrationConfig.builder().name(name);
        if (!config.exists()) {
            return builder.enabled(false).build();
        }
        return builder.config(config).build();
    }
}
