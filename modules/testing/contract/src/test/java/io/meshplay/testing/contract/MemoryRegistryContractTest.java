package io.meshplay.testing.contract;

import java.util.Map;
import java.util.UUID;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import org.junit.jupiter.api.Assumptions;

/**
 * The memory registry (in meshplay-core) against the registry contract. It runs here rather than in
 * meshplay-core's tests because this module depends on meshplay-core, and Maven allows no cycle.
 */
class MemoryRegistryContractTest extends RegistryContract {

    // a JVM-wide registry of this test's own, as registry.memory.name picks it; JUnit makes an instance per test
    private final String name = "contract-" + UUID.randomUUID();

    @Override
    protected Registry newRegistry() {
        return Registries.create(Config.just(ConfigSources.create(Map.of("registry.type", "memory", "registry.memory.name", name)))
                .get("registry"));
    }

    @Override
    protected boolean closeDeregisters() {
        return true;
    }

    @Override
    protected Outage outage() {
        return Assumptions.abort("the memory registry lives inside this JVM: there is no server or connection that could fail");
    }
}
