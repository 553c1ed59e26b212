package io.meshplay.cli;

import java.util.List;
import java.util.SortedSet;

import io.meshplay.cli.catalog.Catalog;
import io.meshplay.cli.catalog.InstanceView;

/** Finding a service or an instance by name, with "not found" errors that say what exists. */
final class Lookup {

    private Lookup() {
    }

    /** Every instance of {@code service}, or not found (exit 3) listing the known services. */
    static List<InstanceView> instances(Catalog catalog, String service) {
        List<InstanceView> instances = catalog.instances(service);
        if (instances.isEmpty()) {
            SortedSet<String> known = catalog.services();
            if (!known.contains(service)) {
                throw CliException.notFound("no service '" + service + "' in " + catalog.source() + "; known services: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
        return instances;
    }

    static InstanceView instance(Catalog catalog, String service, String id) {
        List<InstanceView> instances = instances(catalog, service);
        return instances.stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> CliException.notFound("service '" + service + "' has no instance '" + id + "'; its instances: "
                        + (instances.isEmpty() ? "none" : String.join(", ", instances.stream().map(InstanceView::id).toList()))));
    }
}
