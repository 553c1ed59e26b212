package io.meshplay.registry.consul;

import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.meshplay.testing.consul.ConsulAgent;

/** Registry config for tests: a real agent, short intervals (never production defaults). */
final class TestConfigs {

    private TestConfigs() {
    }

    /** The {@code registry} node pointing at {@code agent} with 1 s checks, plus {@code extra} keys under registry.consul. */
    static Config registry(ConsulAgent agent, String... extra) {
        Map<String, String> map = new HashMap<>();
        map.put("registry.type", "consul");
        map.put("registry.consul.address", agent.httpAddress());
        map.put("registry.consul.check.interval", "1s");
        // a 500 ms timeout failed a cold health server's first checks for over 10 s under load (CI); bounds, not speed
        map.put("registry.consul.check.timeout", "2s");
        map.put("registry.consul.reconcile-interval", "1s");
        // these tests time how soon a stopped instance turns critical: one failed check, as Consul does by default
        map.put("registry.consul.check.failures-before-critical", "1");
        map.put("registry.consul.watch-max-backoff", "1s");
        map.put("registry.consul.request-timeout", "2s");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            map.put("registry.consul." + extra[i], extra[i + 1]);
        }
        return Config.just(ConfigSources.create(map)).get("registry");
    }

    static ConsulRegistry create(ConsulAgent agent, String... extra) {
        return new ConsulRegistry(ConsulRegistryOptions.from(registry(agent, extra), name -> null));
    }
}
