package io.meshplay.registry.consul;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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
        } catch (Exception e) {
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
        } catch (Exception e) {
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

    /**
     * Consul with ACLs on answers a read the token may not make with an empty list, not an error. Whether
     * ACLs are on is asked of {@code /v1/acl/token/self}, which every Consul since 1.4 answers: 401 "ACL
     * support disabled" when they are off, the token (200) or 403 when on. (Consul 1.12+ also sets
     * {@code X-Consul-Results-Filtered-By-ACLs}; 1.8 does not, so it cannot be the only sign.)
     */
    @Override
    public Optional<String> hidingNote() {
        ensureOpen.run();
        if (!aclsEnabled(consul)) {
            return Optional.empty();
        }
        if (!options.token().present()) {
            return Optional.of("Consul at " + options.address() + " has ACLs enabled and no ACL token is configured: it hides "
                    + "every service the anonymous token may not read (set registry.consul.token or CONSUL_HTTP_TOKEN)");
        }
        return Optional.of("Consul at " + options.address() + " has ACLs enabled: it hides services the ACL token "
                + "(registry.consul.token or CONSUL_HTTP_TOKEN) may not read; the token needs service:read on them");
    }

    /** True when the agent has ACLs on, as far as {@code /v1/acl/token/self} tells (see {@link #hidingNote()}). */
    static boolean aclsEnabled(Consul consul) {
        try {
            consul.aclClient().readSelfToken();
            return true;
        } catch (Exception e) {
            // 401 is ACLs off; anything but 403 (unreachable, 5xx) cannot tell
            return ConsulFailures.status(e) == 403;
        }
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
