package io.meshplay.testing.contract;

import static io.meshplay.testing.contract.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshplay.registry.HealthStatus;
import io.meshplay.registry.InstanceDescription;
import io.meshplay.registry.InstanceHealth;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.Intention;
import io.meshplay.registry.IntentionAdministration;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryException;
import io.meshplay.registry.RegistryInspection;
import io.meshplay.registry.RegistryProvider;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.Watch;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every registry plug-in promises, as tests: a plug-in's test class extends this and says how to
 * open a handle on the registry under test. See {@code docs/writing-a-plugin.md}.
 *
 * <p>Nothing here depends on the order of instances in a list, and every wait is bounded by
 * {@link #propagation()}: a registry may answer from a cache that its own loop keeps fresh. Each test uses
 * service names of its own, so the handles of one test class may share one backing registry (one Consul
 * agent, one memory registry name).
 */
public abstract class RegistryContract {

    @RegisterExtension
    final Closer closer = new Closer();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger names = new AtomicInteger();
    // nothing listens on these: registrations must count as healthy without a server (see newRegistry)
    private final AtomicInteger ports = new AtomicInteger(20_000);

    /**
     * A new handle on the registry under test, made as an app makes it (from config, through the plug-in's
     * provider, is best). Every handle of one test must see the same instances. Instances registered
     * through it must count as healthy without a server behind them (Consul: {@code check.type: ttl}), and
     * its loops must run on test-sized intervals, never production defaults.
     */
    protected abstract Registry newRegistry();

    /**
     * Whether {@link Registry#close()} deregisters what the handle registered ({@code memory}), or leaves that
     * to its owner, who deregisters first ({@code consul}: the server runtime does, and a registration nobody
     * deregistered fails its check once its process is gone).
     */
    protected abstract boolean closeDeregisters();

    /** How long a change may take to reach {@link Registry#instances} and watchers. */
    protected Duration propagation() {
        return Duration.ofSeconds(5);
    }

    /**
     * A way to make the registry unreachable and bring it back, for the outage case. A plug-in that cannot be
     * made to fail keeps this default or aborts with its own reason ({@link Assumptions#abort(String)}).
     */
    protected Outage outage() {
        return Assumptions.abort(getClass().getSimpleName() + " gives no way to make its registry fail (override outage())");
    }

    /** A handle the contract closes after the test, whatever the test did with it. */
    protected final Registry open() {
        return closer.add(newRegistry());
    }


    @Test
    void providerIsFoundByServiceLoaderUnderItsType() {
        String type = open().type();
        assertThat(ServiceLoader.load(RegistryProvider.class).stream().map(p -> p.get().type()))
                .as("a RegistryProvider in META-INF/services whose type() is '%s', the registry.type that selects it", type)
                .contains(type);
    }

    @Test
    void registeredInstancesAreListedUntilDeregistered() {
        Registry registry = open();
        String service = service("listed");
        ServiceInstance a = instance(service, "a");
        ServiceInstance b = instance(service, "b");
        assertThat(registry.instances(service)).as("a service nobody registered").isEmpty();

        registry.register(a);
        registry.register(b);
        awaitInstances(registry, service, a, b);
        await().atMost(propagation()).until(() -> registry.services().contains(service));

        registry.deregister(a);
        awaitInstances(registry, service, b);
        registry.deregister(b);
        awaitInstances(registry, service);
        await().atMost(propagation()).until(() -> !registry.services().contains(service));
        // deregistering twice, or what was never registered, is not an error
        registry.deregister(b);
        registry.deregister(instance(service, "never"));
    }

    @Test
    void idsMetadataAndTagsRoundTrip() {
        Registry registry = open();
        String service = service("roundtrip");
        ServiceInstance described = instance(service, "described");
        // no id, tags or metadata: the id defaults, and a registry may keep the version in its metadata too
        ServiceInstance bare = ServiceInstance.builder().name(service).version("3.0.0").host("127.0.0.1").port(nextPort()).build();
        assertThat(bare.id()).isEqualTo(ServiceInstance.defaultId(service, "127.0.0.1", bare.port()));

        registry.register(described);
        registry.register(bare);

        List<ServiceInstance> read = await().atMost(propagation()).until(() -> registry.instances(service), l -> l.size() == 2);
        ServiceInstance readDescribed = byId(read, described.id());
        assertThat(readDescribed).isEqualTo(described);
        assertThat(readDescribed.metadata()).containsKeys(InstanceMetadata.VERSION, InstanceMetadata.PROTOCOL,
                InstanceMetadata.GRPC_TRANSPORT, InstanceMetadata.METRICS_PATH, InstanceMetadata.METRICS_PORT,
                InstanceMetadata.HEALTH_PATH, InstanceMetadata.GRPC_METHODS);
        assertThat(InstanceMetadata.metricsPort(readDescribed)).isEqualTo(described.port() + 1);
        ServiceInstance readBare = byId(read, bare.id());
        assertThat(readBare).usingRecursiveComparison().ignoringFields("metadata").isEqualTo(bare);
        assertThat(readBare.metadata()).containsAllEntriesOf(bare.metadata());
    }

    @Test
    void registeringTheSameIdAgainReplacesTheInstance() {
        Registry registry = open();
        String service = service("replaced");
        ServiceInstance first = instance(service, "same");
        ServiceInstance changed = ServiceInstance.builder().id(first.id()).name(service).version("2.0.0").host("127.0.0.1")
                .port(nextPort()).tags(List.of("changed")).metadata(Map.of(InstanceMetadata.VERSION, "2.0.0", "zone", "z2")).build();

        registry.register(first);
        awaitInstances(registry, service, first);
        registry.register(changed);

        await().atMost(propagation()).until(() -> registry.instances(service), l -> l.equals(List.of(changed)));
    }

    @Test
    void aWatchIsToldTheCurrentListThenEveryChange() {
        Registry registry = open();
        String service = service("watched");
        ServiceInstance a = instance(service, "a");
        ServiceInstance b = instance(service, "b");
        WatchLog log = new WatchLog();
        registry.watch(service, log);
        await().atMost(propagation()).until(log::told);
        assertThat(log.changes().getFirst()).as("the list now: nobody").isEmpty();

        registry.register(a);
        await().atMost(propagation()).until(() -> log.lastIs(a.id()));
        registry.register(b);
        await().atMost(propagation()).until(() -> log.lastIs(a.id(), b.id()));
        registry.deregister(a);
        await().atMost(propagation()).until(() -> log.lastIs(b.id()));
        // full lists, never deltas: the list after b came still had a in it
        assertThat(log.changes()).containsSubsequence(List.of(), List.of(a.id()), ids(List.of(a, b)), List.of(b.id()));

        WatchLog late = new WatchLog();
        registry.watch(service, late);
        await().atMost(propagation()).until(late::told);
        assertThat(late.changes().getFirst()).as("a late watch starts with the list as it is").containsExactly(b.id());
    }

    @Test
    void aClosedWatchIsToldNothingMore() {
        Registry registry = open();
        String service = service("unwatched");
        WatchLog closed = new WatchLog();
        WatchLog open = new WatchLog();
        Watch watch = registry.watch(service, closed);
        registry.watch(service, open);
        await().atMost(propagation()).until(() -> closed.told() && open.told());

        watch.close();
        watch.close();
        int told = closed.count();
        ServiceInstance a = instance(service, "a");
        registry.register(a);

        // the open watch hears of the change by the same notification the closed one would have had
        await().atMost(propagation()).until(() -> open.lastIs(a.id()));
        assertThat(closed.count()).isEqualTo(told);
    }

    @Test
    void closingAHandleReleasesOnlyWhatItOwns() {
        Registry a = open();
        Registry b = open();
        String shared = service("shared");
        String ownedByA = service("owned");
        ServiceInstance fromA = instance(ownedByA, "a-1");
        ServiceInstance fromB = instance(shared, "b-1");
        a.register(fromA);
        b.register(fromB);
        WatchLog watchA = new WatchLog();
        WatchLog watchB = new WatchLog();
        a.watch(shared, watchA);
        b.watch(shared, watchB);
        await().atMost(propagation()).until(() -> watchA.lastIs(fromB.id()) && watchB.lastIs(fromB.id()));
        await().atMost(propagation()).until(() -> b.services().contains(ownedByA));

        a.close();
        int toldA = watchA.count();
        ServiceInstance second = instance(shared, "b-2");
        b.register(second);

        await().atMost(propagation()).until(() -> watchB.lastIs(fromB.id(), second.id()));
        assertThat(watchA.count()).as("a's watch closed with a").isEqualTo(toldA);
        awaitInstances(b, shared, fromB, second);
        if (closeDeregisters()) {
            awaitInstances(b, ownedByA);
            await().atMost(propagation()).until(() -> !b.services().contains(ownedByA));
        } else {
            assertThat(b.services()).as("left registered for its owner to deregister").contains(ownedByA);
            b.deregister(fromA);
        }
    }

    @Test
    void aClosedHandleRefusesUseClearlyAndClosingAgainIsHarmless() {
        Registry registry = open();
        String service = service("closed");
        ServiceInstance x = instance(service, "x");
        Watch watch = registry.watch(service, list -> { });

        registry.close();
        registry.close();
        watch.close();

        List<Runnable> uses = List.of(() -> registry.register(x), () -> registry.deregister(x), () -> registry.instances(service),
                registry::services, () -> registry.watch(service, list -> { }));
        for (Runnable use : uses) {
            assertThatThrownBy(use::run).isInstanceOfAny(IllegalStateException.class, RegistryException.class)
                    .hasMessageContaining("closed");
        }
        assertThat(registry.type()).isNotBlank();
        Registry other = open();
        other.register(x);
        awaitInstances(other, service, x);
    }

    @Test
    void inspectionShowsEveryInstanceWithItsHealthAndEndsWithItsHandle() {
        Registry registry = open();
        RegistryInspection inspection = registry.inspection().orElse(null);
        Assumptions.assumeTrue(inspection != null, "registry '" + registry.type() + "' offers no inspection() capability");
        String service = service("inspected");
        ServiceInstance a = instance(service, "a");
        ServiceInstance b = instance(service, "b");
        registry.register(b);
        registry.register(a);

        List<InstanceHealth> seen = await().atMost(propagation()).until(() -> inspection.instances(service),
                l -> l.size() == 2 && l.stream().allMatch(i -> i.status() == HealthStatus.PASSING));
        assertThat(seen).extracting(InstanceHealth::id).as("sorted by id").containsExactly(a.id(), b.id());
        assertThat(seen).extracting(InstanceHealth::instance).containsExactly(a, b);
        assertThat(inspection.services()).contains(service);
        assertThat(inspection.instances(service("nobody"))).isEmpty();
        assertThat(inspection.description()).isNotBlank();

        registry.close();
        assertThatThrownBy(inspection::services).isInstanceOfAny(IllegalStateException.class, RegistryException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void intentionsAreKeptOnePerPairChangedInPlaceAndEndWithTheirHandle() {
        Registry registry = open();
        IntentionAdministration intentions = registry.intentions().orElse(null);
        Assumptions.assumeTrue(intentions != null, "registry '" + registry.type() + "' offers no intentions() capability");
        String source = service("caller");
        String destination = service("callee");
        assertThat(intentions.find(source, destination)).isEmpty();

        Intention allowed = intentions.put(source, destination, Intention.Action.ALLOW, "first");
        assertThat(allowed).extracting(Intention::source, Intention::destination, Intention::action, Intention::description)
                .containsExactly(source, destination, Intention.Action.ALLOW, "first");
        Intention denied = intentions.deny(source, destination);
        assertThat(denied.action()).isEqualTo(Intention.Action.DENY);
        assertThat(denied.description()).as("kept when not given").isEqualTo("first");
        assertThat(denied.id()).as("the same intention, changed").isEqualTo(allowed.id());
        assertThat(intentions.deny(source, destination).action()).as("idempotent").isEqualTo(Intention.Action.DENY);
        assertThat(intentions.list()).filteredOn(i -> i.samePair(source, destination)).singleElement()
                .extracting(Intention::action).isEqualTo(Intention.Action.DENY);

        // '*' is a name of its own for find and delete, and a less specific intention is listed after
        intentions.allow(Intention.WILDCARD, destination);
        assertThat(intentions.list()).filteredOn(i -> i.destination().equals(destination))
                .extracting(Intention::source).containsExactly(source, Intention.WILDCARD);
        assertThat(intentions.find(Intention.WILDCARD, destination)).map(Intention::action).hasValue(Intention.Action.ALLOW);
        assertThat(open().intentions().orElseThrow().find(source, destination)).as("another handle sees it")
                .map(Intention::action).hasValue(Intention.Action.DENY);
        assertThatThrownBy(() -> intentions.allow(" ", destination)).isInstanceOf(IllegalArgumentException.class);

        assertThat(intentions.delete(source, destination)).isTrue();
        assertThat(intentions.delete(source, destination)).as("nothing left to delete").isFalse();
        assertThat(intentions.delete(Intention.WILDCARD, destination)).isTrue();
        assertThat(intentions.list()).noneMatch(i -> i.destination().equals(destination));
        assertThat(intentions.description()).isNotBlank();

        registry.close();
        assertThatThrownBy(intentions::list).isInstanceOfAny(IllegalStateException.class, RegistryException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void anOutageIsToldOnceWhileTheLastListStaysAndRegistrationsComeBack() {
        Outage outage = outage();
        Registry registry = open();
        String service = service("outage");
        ServiceInstance a = instance(service, "a");
        registry.register(a);
        WatchLog log = new WatchLog();
        registry.watch(service, log);
        await().atMost(propagation()).until(() -> log.lastIs(a.id()));

        outage.begin();
        try {
            await().atMost(propagation()).until(() -> !log.errors().isEmpty());
            assertThat(log.errors().getFirst()).isInstanceOf(RegistryException.class);
            assertThat(ids(registry.instances(service))).as("last-known-good").containsExactly(a.id());
            assertThat(log.last()).as("no emptied list while the registry is away").containsExactly(a.id());
            assertThatThrownBy(() -> registry.register(instance(service, "b"))).isInstanceOf(RegistryException.class);
            // the registry keeps retrying meanwhile; the listener hears of the outage once, not per attempt
            await().during(Duration.ofSeconds(1)).atMost(propagation()).until(() -> log.errors().size() == 1);
        } finally {
            outage.end();
        }
        // the handle still owns a: it is registered again, and the watch follows the registry back
        awaitInstances(registry, service, a);
        await().atMost(propagation()).until(() -> log.lastIs(a.id()));
        ServiceInstance c = instance(service, "c");
        registry.register(c);
        awaitInstances(registry, service, a, c);
    }

    /** A service name no other test uses, so tests may share a backing registry. */
    protected final String service(String hint) {
        return "contract-" + hint + "-" + run + "-" + names.incrementAndGet();
    }

    /** An instance as a meshplay server describes itself, with every {@link InstanceMetadata} key; a port of its own. */
    protected final ServiceInstance instance(String service, String id) {
        int port = nextPort();
        nextPort(); // its metrics port, which must differ from the registered one to show it round-trips
        return InstanceDescription.builder().id(service + "-" + id).name(service).version("1.2.0").host("127.0.0.1")
                .port(port).metricsPort(port + 1).grpcTransport("netty").grpcMethods(List.of("example.Echo/Ping", "example.Echo/Stream"))
                .tags(List.of("team-a")).metadata(Map.of("zone", "z1")).build();
    }

    static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::id).sorted().toList();
    }

    private void awaitInstances(Registry registry, String service, ServiceInstance... expected) {
        List<String> want = ids(List.of(expected));
        await().atMost(propagation()).until(() -> ids(registry.instances(service)), want::equals);
    }

    private static ServiceInstance byId(List<ServiceInstance> instances, String id) {
        return instances.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    private int nextPort() {
        return ports.incrementAndGet();
    }
}
