package io.meshplay.registry.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryListener;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.Watch;

/**
 * A registry inside one JVM: every registered instance counts as healthy. Listeners are called on the
 * registering thread, under the registry's lock, so they see changes in order.
 */
public final class MemoryRegistry implements Registry {

    private static final Map<String, MemoryRegistry> SHARED = new ConcurrentHashMap<>();

    private final Map<String, Map<String, ServiceInstance>> services = new ConcurrentHashMap<>();
    private final Map<String, List<RegistryListener>> listeners = new ConcurrentHashMap<>();

    /** A registry of its own, for tests that want isolation. */
    public MemoryRegistry() {
    }

    /** The JVM-wide registry of that name, so servers and clients created from config meet. */
    public static MemoryRegistry shared(String name) {
        return SHARED.computeIfAbsent(name, n -> new MemoryRegistry());
    }

    @Override
    public String type() {
        return MemoryRegistryProvider.TYPE;
    }

    @Override
    public synchronized void register(ServiceInstance instance) {
        services.computeIfAbsent(instance.name(), n -> new ConcurrentHashMap<>()).put(instance.id(), instance);
        notifyListeners(instance.name());
    }

    @Override
    public synchronized void deregister(ServiceInstance instance) {
        Map<String, ServiceInstance> byId = services.get(instance.name());
        if (byId != null && byId.remove(instance.id()) != null) {
            if (byId.isEmpty()) {
                services.remove(instance.name());
            }
            notifyListeners(instance.name());
        }
    }

    @Override
    public List<ServiceInstance> instances(String service) {
        Map<String, ServiceInstance> byId = services.get(service);
        if (byId == null) {
            return List.of();
        }
        List<ServiceInstance> list = new ArrayList<>(byId.values());
        list.sort(Comparator.comparing(ServiceInstance::id));
        return List.copyOf(list);
    }

    @Override
    public Set<String> services() {
        return new TreeSet<>(services.keySet());
    }

    @Override
    public synchronized Watch watch(String service, RegistryListener listener) {
        List<RegistryListener> list = listeners.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>());
        list.add(listener);
        listener.onChange(instances(service));
        return () -> list.remove(listener);
    }

    /** Closing a registry drops its watches; registrations stay so shared registries survive one user. */
    @Override
    public void close() {
        listeners.clear();
    }

    private void notifyListeners(String service) {
        List<ServiceInstance> now = instances(service);
        for (RegistryListener listener : listeners.getOrDefault(service, List.of())) {
            listener.onChange(now);
        }
    }
}
