package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import io.meshplay.registry.ServiceInstance;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Time to first call: with a one-minute check interval Consul's first check of a new instance comes at a random
 * moment within that minute, yet a ready instance is passing at once because the registry ran the same check
 * just before registering. An instance that is not serving is not made passing by it.
 */
@ExtendWith(ConsulExtension.class)
class FirstCheckTest {

    @Test
    void aServingInstanceIsPassingAtOnceAndANotServingOneIsNot(ConsulAgent consul) {
        try (HealthServer ready = HealthServer.start(); HealthServer starting = HealthServer.start();
             ConsulRegistry registry = TestConfigs.create(consul, "check.interval", "60s")) {
            ready.serving(true);
            starting.serving(false);
            ServiceInstance live = ConsulRegistryTest.instance("first-check", ready.port());
            ServiceInstance notYet = ConsulRegistryTest.instance("first-check", starting.port());
            long t0 = System.nanoTime();
            registry.register(live);
            registry.register(notYet);
            // the bound is for a loaded machine; without the first check, 3 s of a 60 s stagger pass one time in 20
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ConsulHttp.passingIds(consul, "first-check").contains(live.id()));
            System.out.printf("first check: passing %d ms after register%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(ConsulHttp.passingIds(consul, "first-check")).containsExactly(live.id());
            assertThat(ConsulHttp.allIds(consul, "first-check")).containsExactlyInAnyOrder(live.id(), notYet.id());
            assertThat(registry.instances("first-check")).extracting(ServiceInstance::id).isEqualTo(List.of(live.id()));
        }
    }
}
