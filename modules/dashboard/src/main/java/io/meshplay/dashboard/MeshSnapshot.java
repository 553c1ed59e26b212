package io.meshplay.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.meshplay.registry.HealthStatus;
import io.meshplay.registry.InstanceCheck;
import io.meshplay.registry.InstanceHealth;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.Intention;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryException;
import io.meshplay.registry.RegistryInspection;
import io.meshplay.registry.ServiceInstance;

/**
 * What the registry says about the mesh at one moment, as the page shows it: every service, every instance with
 * its health (unhealthy ones too, when the registry can tell), and the intentions when the mesh runs Connect.
 *
 * @param services   in name order
 * @param registry   where it was read from, for people (no secret)
 * @param problem    why the registry could not be read (then {@code services} is empty); no stack trace
 * @param connect    whether any instance serves with {@code tls.mode: connect}
 * @param intentions the registry's intentions when {@code connect} and it keeps them; empty otherwise
 * @param intentionsProblem why the intentions could not be read
 */
record MeshSnapshot(List<Service> services, String registry, Optional<String> problem, boolean connect,
                    Optional<List<Intention>> intentions, Optional<String> intentionsProblem) {

    /** A service and its instances, sorted by id. */
    record Service(String name, List<Instance> instances) {
        long passing() {
            return instances.stream().filter(i -> i.status() == HealthStatus.PASSING).count();
        }
    }

    /**
     * One instance as shown.
     *
     * @param rates calls per second by gRPC method over the last scrape interval; empty until two scrapes were made
     */
    record Instance(ServiceInstance instance, HealthStatus status, List<InstanceCheck> checks,
                    Map<String, Double> rates) {

        String id() {
            return instance.id();
        }

        String transport() {
            return InstanceMetadata.get(instance, InstanceMetadata.GRPC_TRANSPORT, "unknown");
        }

        String tlsMode() {
            return InstanceMetadata.get(instance, InstanceMetadata.TLS_MODE, "off");
        }

        /** Who the instance proves to be to its callers: Connect's SPIFFE service identity, a certificate, or nobody. */
        String identity() {
            return switch (tlsMode()) {
                case InstanceMetadata.TLS_MODE_CONNECT -> "spiffe …/svc/" + instance.name();
                case "off" -> "none (plaintext)";
                default -> "certificate from files";
            };
        }
    }

    static MeshSnapshot read(Registry registry, CallRates rates) {
        Optional<RegistryInspection> inspection = registry.inspection();
        String source = inspection.map(RegistryInspection::description).orElse("registry " + registry.type());
        List<Service> services = new ArrayList<>();
        try {
            if (inspection.isPresent()) {
                for (String name : inspection.get().services()) {
                    services.add(new Service(name, inspection.get().instances(name).stream()
                            .map(h -> instance(h, rates)).toList()));
                }
            } else {
                // without inspection only the healthy instances are known, and being listed is being healthy
                for (String name : sorted(registry)) {
                    services.add(new Service(name, registry.instances(name).stream()
                            .sorted(Comparator.comparing(ServiceInstance::id))
                            .map(i -> instance(InstanceHealth.passing(i), rates)).toList()));
                }
            }
        } catch (RegistryException e) {
            return new MeshSnapshot(List.of(), source, Optional.of(e.getMessage()), false, Optional.empty(), Optional.empty());
        }
        boolean connect = services.stream().flatMap(s -> s.instances().stream())
                .anyMatch(i -> InstanceMetadata.TLS_MODE_CONNECT.equals(i.tlsMode()));
        Optional<List<Intention>> intentions = Optional.empty();
        Optional<String> intentionsProblem = Optional.empty();
        if (connect && registry.intentions().isPresent()) {
            try {
                intentions = Optional.of(registry.intentions().get().list());
            } catch (RegistryException e) {
                intentionsProblem = Optional.of(e.getMessage());
            }
        }
        return new MeshSnapshot(List.copyOf(services), source, Optional.empty(), connect, intentions, intentionsProblem);
    }

    private static List<String> sorted(Registry registry) {
        return registry.services().stream().sorted().toList();
    }

    private static Instance instance(InstanceHealth health, CallRates rates) {
        return new Instance(health.instance(), health.status(), health.checks(), rates.of(health.id()));
    }

    long instanceCount() {
        return services.stream().mapToLong(s -> s.instances().size()).sum();
    }

    long passingCount() {
        return services.stream().mapToLong(Service::passing).sum();
    }
}
