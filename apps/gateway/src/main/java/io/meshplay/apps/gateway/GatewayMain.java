package io.meshplay.apps.gateway;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.meshplay.config.AppArgs;
import io.meshplay.config.Startup;

/** {@code deploy/local/app gateway}: the HTTP/JSON gateway and the dashboard. */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) {
        Startup.run("gateway", args, a -> {
            LogConfig.configureRuntime();
            Gateway.start(config(a)).closeOnShutdown();
        });
    }

    /** The gateway's config from its command line and config folder, every declared key checked. */
    static Config config(String[] args) {
        return AppArgs.parse("gateway", "HTTP/JSON calls to every gRPC service in the registry, and the dashboard",
                Map.of(), Gateway.OPTIONS, args).loadConfig();
    }
}
