package io.meshplay.registry.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.meshplay.registry.RegistryListener;
import io.meshplay.registry.ServiceInstance;

/**
 * What every {@link MemoryRegistry} handle on one name sees. Changes and notifications happen under
 * this object's monitor so listeners see changes in order; reads are lock-free.
 */
final class SharedRegistry {

    private final String name;
    private final Map<String, Map<String, Entry>> services = new ConcurrentHashMap<>();
    private final Map<String, List<Watcher>> watchers = new HashMap<>();
    private final MemoryIntentions intentions = new MemoryIntentions();

    SharedRegistry(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Every handle's intentions: they belong to the registry, not to the handle that wrote them. */
    MemoryIntentions intentions() {
        return intentions;
    }

    /** The last handle to register an id owns it, so a replaced instance is not removed by its former owner. */
    synchronized void register(ServiceInstance instance, MemoryRegistry owner) {
        services.computeIfAbsent(instance.name(), n -> new ConcurrentHashMap<>()).put(instance.id(), new Entry(instance, owner));
        notifyWatchers(instance.name());
    }

    synchronized void deregister(ServiceInstance instance) {
        Map<String, Entry> byId = services.get(instance.name());
        if (byId != null && byId.remove(instance.id()) != null) {
            dropIfEmpty(instance.name(), byId);
            notifyWatchers(instance.name());
        }
    }

    synchronized void deregisterAll(MemoryRegistry owner) {
        for (String service : List.copyOf(services.keySet())) {
            Map<String, Entry> byId = services.get(service);
            if (byId != null && byId.values().removeIf(e -> e.owner() == owner)) {
                dropIfEmpty(service, byId);
                notifyWatchers(service);
            }
        }
    }

    private void dropIfEmpty(String service, Map<String, Entry> byId) {
        if (byId.isEmpty()) {
            services.remove(service);
        }
    }

    List<ServiceInstance> instances(String service) {
        Map<String, Entry> byId = services.get(service);
        if (byId == null) {
            return List.of();
        }
        List<ServiceInstance> list = new ArrayList<>();
        byId.values().forEach(e -> list.add(e.instance()));
        list.sort(Comparator.comparing(ServiceInstance::id));
        return List.copyOf(list);
    }

    Set<String> services() {
        return new TreeSet<>(services.keySet());
    }

    synchronized Watcher watch(String service, RegistryListener listener) {
        Watcher watcher = new Watcher(service, listener);
        watchers.computeIfAbsent(service, s -> new ArrayList<>()).add(watcher);
        listener.onChange(instances(service));
        return watcher;
    }

    synchronized void unwatch(Watcher watcher) {
        watcher.closed = true;
        List<Watcher> list = watchers.get(watcher.service);
        if (list != null && list.remove(watcher) && list.isEmpty()) {
            watchers.remove(watcher.service);
        }
    }

    private void notifyWatchers(String service) {
        List<Watcher> list = watchers.get(service);
        if (list == null) {
            return;
        }
        List<ServiceInstance> now = instances(service);
        // a copy, and the closed check, because a listener may close its own or another watch from its callback
        for (Watcher watcher : List.copyOf(list)) {
            if (!watcher.closed) {
                watcher.listener.onChange(now);
            }
        }
    }

    private record Entry(ServiceInstance instance, MemoryRegistry owner) {
    }

    /** One watch; its handle keeps it so that closing the handle closes it. */
    static final class Watcher {
        private final String service;
        private final RegistryListener listener;
        private boolean closed;

        private Watcher(String service, RegistryListener listener) {
            this.service = service;
            this.listener = listener;
        }
    }
}
