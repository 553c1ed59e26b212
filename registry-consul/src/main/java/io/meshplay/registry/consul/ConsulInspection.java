package io.meshplay.registry.consul;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import io.meshplay.registry.InstanceHealth;
import io.meshplay.registry.RegistryInspection;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.ImmutableQueryOptions;
import org.kiwiproject.consul.option.QueryOptions;

/**
 * The registry's Consul catalog as it is now: {@code /v1/catalog/services} and
 * {@code /v1/health/service/<name>} without {@code ?passing}, so critical instances and the output of
 * their checks show too. Asks Consul on every call (no cache: people look here when the cache might be
 * wrong), with the registry's client, token, datacenter and timeouts.
 */
final class ConsulInspection implements RegistryInspection {

    /** Consul's own server entry, not a service anyone registered. */
    private static final String CONSUL_SELF = "consul";

    private final Consul consul;
    private final ConsulRegistryOptions options;
    private final ConsulFailures failures;
    private final Runnable ensureOpen;

    ConsulInspection(Consul consul, ConsulRegistryOptions options, ConsulFailures failures, Runnable ensureOpen) {
        this.consul = consul;
        this.options = options;
        this.failures = failures;
        this.ensureOpen = ensureOpen;
    }

    @Override
    public SortedSet<String> services() {
        ensureOpen.run();
        try {
            return serviceNames(consul, options);
        } catch (RuntimeException e) {
            throw failures.translateForInspection("list services", e);
        }
    }

    @Override
    public List<InstanceHealth> instances(String service) {
        ensureOpen.run();
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service name must not be blank");
        }
        List<ServiceHealth> entries;
        try {
            entries = consul.healthClient().getAllServiceInstances(service, query(options)).getResponse();
        } catch (RuntimeException e) {
            throw failures.translateForInspection("inspect service '" + service + "'", e);
        }
        List<InstanceHealth> out = new ArrayList<>(entries.size());
        entries.forEach(entry -> out.add(ConsulEncoding.health(entry)));
        out.sort(Comparator.comparing(InstanceHealth::id));
        return List.copyOf(out);
    }

    @Override
    public String description() {
        return "Consul at " + options.address();
    }

    /** Every service in the catalog, whatever its health; failures are the caller's to translate. */
    static SortedSet<String> serviceNames(Consul consul, ConsulRegistryOptions options) {
        TreeSet<String> names = new TreeSet<>(consul.catalogClient().getServices(query(options)).getResponse().keySet());
        names.remove(CONSUL_SELF);
        return names;
    }

    private static QueryOptions query(ConsulRegistryOptions options) {
        ImmutableQueryOptions.Builder q = ImmutableQueryOptions.builder();
        options.datacenter().ifPresent(q::datacenter);
        return q.build();
    }
}
