package io.meshplay.registry;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshplay.config.MeshplayConfig;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The memory registry's inspection, asked for through the Registry API as tools ask for it. */
class MemoryRegistryInspectionTest {

    @RegisterExtension
    final Closer closer = new Closer();

    // a name of its own, so other tests in this JVM do not see these instances
    private final String name = "inspection-" + UUID.randomUUID();

    private Registry handle() {
        return closer.add(Registries.create(MeshplayConfig.of(Map.of("registry.memory.name", name)).get("registry")));
    }

    @Test
    void showsEveryInstanceOfEveryHandleAsPassingWithoutChecks() {
        Registry servers = handle();
        Registry tool = handle();
        servers.register(ServiceInstance.builder().id("b").name("svc").version("2.0.0").port(2002).build());
        servers.register(ServiceInstance.builder().id("a").name("svc").port(2001).metadata(Map.of("zone", "z1")).build());
        servers.register(ServiceInstance.builder().id("c").name("other").port(2003).build());

        RegistryInspection inspection = tool.inspection().orElseThrow();

        assertThat(inspection.services()).containsExactly("other", "svc");
        List<InstanceHealth> instances = inspection.instances("svc");
        assertThat(instances).extracting(InstanceHealth::id).containsExactly("a", "b");
        assertThat(instances).allSatisfy(i -> {
            assertThat(i.status()).isEqualTo(HealthStatus.PASSING);
            assertThat(i.checks()).isEmpty();
        });
        assertThat(instances.get(0).instance().metadata()).containsEntry("zone", "z1");
        assertThat(instances.get(1).instance().version()).isEqualTo("2.0.0");
        assertThat(inspection.instances("nobody")).isEmpty();
        assertThat(inspection.description()).isEqualTo("registry 'memory'");
    }

    @Test
    void endsWithItsHandle() {
        Registry tool = handle();
        RegistryInspection inspection = tool.inspection().orElseThrow();

        tool.close();

        assertThatThrownBy(inspection::services).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(handle().inspection().orElseThrow().services()).as("other handles still work").isEmpty();
    }

    @Test
    void worstCheckDecidesAndUnknownStatusesCountAsCritical() {
        ServiceInstance instance = ServiceInstance.builder().name("svc").port(1).build();

        assertThat(InstanceHealth.of(instance, List.of()).status()).as("no checks: passing, as Consul has it")
                .isEqualTo(HealthStatus.PASSING);
        assertThat(InstanceHealth.of(instance, List.of(check("passing"), check("Warning"))).status()).isEqualTo(HealthStatus.WARNING);
        assertThat(InstanceHealth.of(instance, List.of(check("passing"), check("critical"), check("warning"))).status())
                .isEqualTo(HealthStatus.CRITICAL);
        // "maintenance" and the like: a state not understood must not pass for healthy
        assertThat(HealthStatus.of("maintenance")).isEqualTo(HealthStatus.CRITICAL);
        assertThat(HealthStatus.of(null)).isEqualTo(HealthStatus.CRITICAL);
        assertThat(HealthStatus.WARNING.label()).isEqualTo("warning");
    }

    private static InstanceCheck check(String status) {
        return new InstanceCheck("id-" + status, "check " + status, HealthStatus.of(status), null);
    }
}
