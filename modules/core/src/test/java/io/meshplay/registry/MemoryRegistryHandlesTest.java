package io.meshplay.registry;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.meshplay.config.MeshplayConfig;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Handles from {@code registry.type: memory} share one registry; each releases only what it registered and watched. */
class MemoryRegistryHandlesTest {

    @RegisterExtension
    final Closer closer = new Closer();

    // a name of its own, so other tests in this JVM do not see these instances
    private final String name = "handles-" + UUID.randomUUID();

    private Registry handle() {
        return closer.add(Registries.create(MeshplayConfig.of(Map.of("registry.memory.name", name)).get("registry")));
    }

    private static ServiceInstance instance(String id, int port) {
        return ServiceInstance.builder().id(id).name("svc").port(port).build();
    }

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::id).toList();
    }

    @Test
    void closingOneHandleRemovesOnlyItsInstancesAndWatches() {
        Registry a = handle();
        Registry b = handle();
        List<List<String>> seenByA = new CopyOnWriteArrayList<>();
        List<List<String>> seenByB = new CopyOnWriteArrayList<>();
        a.watch("svc", list -> seenByA.add(ids(list)));
        b.watch("svc", list -> seenByB.add(ids(list)));
        a.register(instance("a-1", 1001));
        b.register(instance("b-1", 2001));
        assertThat(b.instances("svc")).extracting(ServiceInstance::id).containsExactly("a-1", "b-1");

        a.close();
        int callsToA = seenByA.size();
        assertThat(seenByB).last().isEqualTo(List.of("b-1"));

        b.register(instance("b-2", 2002));
        assertThat(seenByB).last().as("b's watch outlives a").isEqualTo(List.of("b-1", "b-2"));
        assertThat(seenByA).as("a's watch closed with a").hasSize(callsToA);
        Registry c = handle();
        assertThat(c.instances("svc")).extracting(ServiceInstance::id).containsExactly("b-1", "b-2");
        assertThat(c.services()).containsExactly("svc");
    }

    @Test
    void anInstanceBelongsToTheHandleThatRegisteredItLast() {
        Registry a = handle();
        Registry b = handle();
        a.register(instance("same", 1001));
        b.register(instance("same", 1002));
        a.close();
        assertThat(b.instances("svc")).singleElement().satisfies(i -> assertThat(i.port()).isEqualTo(1002));

        b.close();
        assertThat(handle().services()).isEmpty();
    }

    @Test
    void closingAWatchLeavesTheHandlesOtherWatches() {
        Registry a = handle();
        List<List<String>> first = new CopyOnWriteArrayList<>();
        List<List<String>> second = new CopyOnWriteArrayList<>();
        Watch closed = a.watch("svc", list -> first.add(ids(list)));
        a.watch("svc", list -> second.add(ids(list)));
        closed.close();
        handle().register(instance("x", 1001));
        assertThat(first).containsExactly(List.of());
        assertThat(second).containsExactly(List.of(), List.of("x"));
    }

    @Test
    void aClosedHandleSaysSoAndClosingAgainIsHarmless() {
        Registry a = handle();
        Watch watch = a.watch("svc", list -> { });
        a.close();
        a.close();
        watch.close();
        ServiceInstance x = instance("x", 1001);
        for (Runnable use : List.<Runnable>of(() -> a.register(x), () -> a.deregister(x), () -> a.instances("svc"),
                a::services, () -> a.watch("svc", list -> { }))) {
            assertThatThrownBy(use::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("memory registry").hasMessageContaining(name).hasMessageContaining("closed");
        }
        assertThat(a.type()).isEqualTo("memory");
        assertThat(handle().services()).as("the shared registry is still usable").isEmpty();
    }
}
