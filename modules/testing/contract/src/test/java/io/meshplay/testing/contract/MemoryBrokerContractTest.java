package io.meshplay.testing.contract;

import java.util.Map;
import java.util.UUID;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import org.junit.jupiter.api.Assumptions;

/**
 * The memory broker (in meshplay-core) against the broker contract. It runs here rather than in
 * meshplay-core's tests because this module depends on meshplay-core, and Maven allows no cycle.
 */
class MemoryBrokerContractTest extends BrokerContract {

    // a JVM-wide broker of this test's own, as broker.memory.name picks it; JUnit makes an instance per test
    private final String name = "contract-" + UUID.randomUUID();

    @Override
    protected Broker newBroker() {
        return Brokers.create(Config.just(ConfigSources.create(Map.of("broker.type", "memory", "broker.memory.name", name,
                "broker.memory.max-attempts", Integer.toString(maxAttempts()), "broker.memory.retry-backoff", "10ms",
                "broker.memory.max-retry-backoff", "50ms"))).get("broker"));
    }

    @Override
    protected Outage outage() {
        return Assumptions.abort("the memory broker lives inside this JVM: there is no service or connection that could fail");
    }
}
