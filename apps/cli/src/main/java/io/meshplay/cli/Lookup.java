package io.meshplay.cli;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import io.meshplay.registry.InstanceHealth;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryInspection;

/** Finding a service or an instance by name, with "not found" errors that say what exists. */
final class Lookup {

    private Lookup() {
    }

    /** Every instance of {@code service}, or not found (exit 3) listing the known services. */
    static List<InstanceHealth> instances(RegistryInspection inspection, String service) {
        List<InstanceHealth> instances = inspection.instances(Names.service(service));
        if (instances.isEmpty()) {
            try {
                requireKnown(inspection.services(), service, inspection.description());
            } catch (CliException notFound) {
                // a registry with ACLs answers what the token may not read as if it were not there
                throw inspection.hidingNote().map(note -> CliException.notFound(notFound.getMessage() + " (" + note + ")"))
                        .orElse(notFound);
            }
        }
        return instances;
    }

    static InstanceHealth instance(RegistryInspection inspection, String service, String id) {
        List<InstanceHealth> instances = instances(inspection, service);
        return instances.stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> CliException.notFound("service '" + service + "' has no instance '" + id + "'; its instances: "
                        + (instances.isEmpty() ? "none" : String.join(", ", instances.stream().map(InstanceHealth::id).toList()))));
    }

    /**
     * Not found (exit 3) unless the registry knows {@code service}. Calling needs only the Registry API, so
     * a registry without inspection is asked through it; with inspection, unhealthy instances count as known.
     */
    static void requireService(Registry registry, String service) {
        Names.service(service);
        Optional<RegistryInspection> inspection = registry.inspection();
        if (inspection.isPresent()) {
            instances(inspection.get(), service);
        } else if (registry.instances(service).isEmpty()) {
            requireKnown(registry.services(), service, "registry '" + registry.type() + "'");
        }
    }

    private static void requireKnown(Set<String> services, String service, String source) {
        if (!services.contains(service)) {
            SortedSet<String> known = new TreeSet<>(services);
            throw CliException.notFound("no service '" + service + "' in " + source + "; known services: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)));
        }
    }
}
