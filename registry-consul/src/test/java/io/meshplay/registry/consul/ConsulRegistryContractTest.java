package io.meshplay.registry.consul;

import java.time.Duration;

import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import io.meshplay.testing.contract.Outage;
import io.meshplay.testing.contract.RegistryContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The consul registry against the registry contract, on a real Consul dev agent of its own. */
@ExtendWith(ConsulExtension.class)
class ConsulRegistryContractTest extends RegistryContract {

    private final ConsulAgent consul;

    ConsulRegistryContractTest(ConsulAgent consul) {
        this.consul = consul;
    }

    /**
     * TTL checks, which the registry passes itself, so the contract's instances are healthy with no server
     * behind them; a 3 s TTL (heartbeat every second) so a busy test machine does not let one lapse.
     */
    @Override
    protected Registry newRegistry() {
        return Registries.create(TestConfigs.registry(consul, "check.type", "ttl", "check.interval", "3s"));
    }

    /** The server runtime deregisters before it closes the registry; closing leaves registrations to their checks. */
    @Override
    protected boolean closeDeregisters() {
        return false;
    }

    /** A dev agent restarted from nothing: recovery takes the restart, a reconcile pass (1 s) and a watch retry (1 s). */
    @Override
    protected Duration propagation() {
        return Duration.ofSeconds(10);
    }

    @Override
    protected Outage outage() {
        return new Outage() {
            @Override
            public void begin() {
                consul.stopProcess();
            }

            @Override
            public void end() {
                consul.restart();
            }
        };
    }
}
