package io.meshplay.registry.memory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.meshplay.registry.InstanceHealth;
import io.meshplay.registry.IntentionAdministration;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryInspection;
import io.meshplay.registry.RegistryListener;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.Watch;

/**
 * A handle on a registry inside one JVM: every registered instance counts as healthy. Handles on the
 * same name see the same instances, so servers and clients created from config meet; each handle owns
 * the instances it registered and the watches it opened, and closing it removes exactly those, so one
 * server stopping does not blind the other users in the JVM. Listeners are called on the registering
 * thread, under the registry's lock, so they see changes in order. Its {@link #inspection()} shows the
 * same instances, all passing, without checks. Its {@link #intentions()} are kept per registry name like the
 * instances, but outlive the handle that wrote them, and nothing enforces them.
 */
public final class MemoryRegistry implements Registry {

    private static final Map<String, SharedRegistry> SHARED = new ConcurrentHashMap<>();

    private final SharedRegistry shared;
    private final Set<SharedRegistry.Watcher> watchers = new HashSet<>();
    private final RegistryInspection inspection = new Inspection();
    private final IntentionAdministration intentions;
    private volatile boolean closed;

    /** A registry of its own, for tests that want isolation. */
    public MemoryRegistry() {
        this(new SharedRegistry("(private)"));
    }

    private MemoryRegistry(SharedRegistry shared) {
        this.shared = shared;
        this.intentions = MemoryIntentions.view(shared.intentions(), this::ensureOpen, "registry '" + type() + "'");
    }

    /** A new handle on the JVM-wide registry of that name. */
    public static MemoryRegistry shared(String name) {
        return new MemoryRegistry(SHARED.computeIfAbsent(name, SharedRegistry::new));
    }

    @Override
    public String type() {
        return MemoryRegistryProvider.TYPE;
    }

    // Mutations check "open" under the shared lock so that nothing lands after close has cleaned up.
    @Override
    public void register(ServiceInstance instance) {
        synchronized (shared) {
            ensureOpen();
            shared.register(instance, this);
        }
    }

    @Override
    public void deregister(ServiceInstance instance) {
        synchronized (shared) {
            ensureOpen();
            shared.deregister(instance);
        }
    }

    @Override
    public List<ServiceInstance> instances(String service) {
        ensureOpen();
        return shared.instances(service);
    }

    @Override
    public Set<String> services() {
        ensureOpen();
        return shared.services();
    }

    @Override
    public Watch watch(String service, RegistryListener listener) {
        synchronized (shared) {
            ensureOpen();
            SharedRegistry.Watcher watcher = shared.watch(service, listener);
            watchers.add(watcher);
            return () -> {
                synchronized (shared) {
                    shared.unwatch(watcher);
                    watchers.remove(watcher);
                }
            };
        }
    }

    @Override
    public Optional<RegistryInspection> inspection() {
        return Optional.of(inspection);
    }

    /** Kept and listed as Consul keeps them, per registry name; nothing here enforces them. */
    @Override
    public Optional<IntentionAdministration> intentions() {
        return Optional.of(intentions);
    }

    /**
     * Closes this handle's watches, then deregisters the instances it registered (other handles' watchers
     * see them go); everything other handles registered or watch stays.
     */
    @Override
    public void close() {
        synchronized (shared) {
            if (closed) {
                return;
            }
            closed = true;
            watchers.forEach(shared::unwatch);
            watchers.clear();
            shared.deregisterAll(this);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this memory registry handle (registry '" + shared.name()
                    + "') is closed; other handles on it still work, or create a new one from config");
        }
    }

    /** Nothing checks an instance here, so every registered one is healthy. */
    private final class Inspection implements RegistryInspection {

        @Override
        public SortedSet<String> services() {
            return new TreeSet<>(MemoryRegistry.this.services());
        }

        @Override
        public List<InstanceHealth> instances(String service) {
            return MemoryRegistry.this.instances(service).stream().map(InstanceHealth::passing).toList();
        }

        @Override
        public String description() {
            return "registry '" + type() + "'";
        }
    }
}
