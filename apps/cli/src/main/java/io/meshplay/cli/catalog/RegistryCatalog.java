package io.meshplay.cli.catalog;

import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import io.meshplay.registry.Registry;

/**
 * The catalog of any registry through the generic API. That API answers with healthy instances only,
 * so every instance shown is passing and unhealthy ones are invisible.
 */
public final class RegistryCatalog implements Catalog {

    private final Registry registry;

    public RegistryCatalog(Registry registry) {
        this.registry = registry;
    }

    @Override
    public SortedSet<String> services() {
        return new TreeSet<>(registry.services());
    }

    @Override
    public List<InstanceView> instances(String service) {
        return registry.instances(service).stream()
                .map(i -> new InstanceView(i, Health.PASSING, List.of()))
                .sorted(Comparator.comparing(InstanceView::id))
                .toList();
    }

    @Override
    public String source() {
        return "registry '" + registry.type() + "' (healthy instances only)";
    }
}
