package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.meshplay.registry.ServiceInstance;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A crashed instance disappears from Consul by itself after {@code deregister-after}.
 *
 * <p>This is the slowest test of the module by nature: 1m is the smallest value Consul honours, and
 * Consul's reaper looks only every 30 s, so removal comes 60-90 s after the check goes critical. It runs
 * in parallel with the other classes (see junit-platform.properties), so it costs no extra wall time.
 */
@ExtendWith(ConsulExtension.class)
class ConsulDeregisterAfterTest {

    @Test
    void deadInstanceIsRemovedAfterDeregisterAfter(ConsulAgent consul) throws Exception {
        try (ServerProcess process = ServerProcess.start();
             ConsulRegistry registry = TestConfigs.create(consul, "deregister-after", "1m")) {
            ServiceInstance instance = ConsulRegistryTest.instance("crashed", process.port());
            registry.register(instance);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.instances("crashed").size() == 1);
            // the registration itself must not keep a dead instance alive: stop the reconcile loop's owner
            registry.close();

            process.kill();
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> ConsulHttp.passingIds(consul, "crashed").isEmpty());
            assertThat(ConsulHttp.agentHas(consul, instance.id())).as("critical but still registered").isTrue();

            await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !ConsulHttp.agentHas(consul, instance.id()));
            long removedS = (System.nanoTime() - t0) / 1_000_000_000;
            System.out.printf("deregister-after 1m: removed %d s after kill -9%n", removedS);
            assertThat(removedS).as("not before deregister-after").isGreaterThanOrEqualTo(59);
            assertThat(ConsulHttp.allIds(consul, "crashed")).isEmpty();
        }
    }
}
