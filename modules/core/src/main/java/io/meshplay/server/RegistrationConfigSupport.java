package io.meshplay.server;

import io.helidon.builder.api.Prototype;
import io.helidon.config.Config;
import io.meshplay.config.ConfigErrors;

final class RegistrationConfigSupport {

    private RegistrationConfigSupport() {
    }

    /** Fails at build, naming the key, rather than when the server has started and cannot say which file is wrong. */
    static final class Decorator implements Prototype.BuilderDecorator<RegistrationConfig.BuilderBase<?, ?>> {

        @Override
        public void decorate(RegistrationConfig.BuilderBase<?, ?> builder) {
            if (!builder.enabled()) {
                return;
            }
            Config node = builder.config().orElseGet(Config::empty);
            if (builder.serviceName().filter(n -> !n.isBlank()).isEmpty()) {
                throw ConfigErrors.missing(node.get("service.name"), "the service name clients resolve, e.g. example");
            }
            if (builder.advertiseHost().filter(String::isBlank).isPresent()) {
                throw ConfigErrors.invalid(node.get("service.advertise-host"), "",
                        "the address clients should use (leave it out to use the bound host)");
            }
            absolutePath(node.get("service.metrics-path"), builder.metricsPath());
            absolutePath(node.get("service.health-path"), builder.healthPath());
        }

        private static void absolutePath(Config node, String value) {
            if (!value.startsWith("/")) {
                throw ConfigErrors.invalid(node, value, "an absolute path, e.g. /observe/health/ready");
            }
        }
    }
}
