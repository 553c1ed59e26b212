package io.meshplay.registry.consul;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.meshplay.registry.IntentionAdministration;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryException;
import io.meshplay.registry.RegistryInspection;
import io.meshplay.registry.RegistryListener;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.Watch;
import org.kiwiproject.consul.Consul;

/**
 * Consul as the registry: instances register with the local agent (with a gRPC, HTTP or TTL check and
 * deregister-after, so a crashed instance goes critical and then disappears by itself), stay registered
 * through agent restarts, and lookups come from a per-service cache fed by blocking queries.
 *
 * <p>Creating it does not contact Consul, so a server can start while Consul is down and retry
 * {@link #register(ServiceInstance)}.
 */
public final class ConsulRegistry implements Registry {

    public static final String TYPE = "consul";
    private static final System.Logger LOG = System.getLogger(ConsulRegistry.class.getName());

    private final ConsulRegistryOptions options;
    private final Consul consul;
    private final ConsulFailures failures;
    private final ConsulRegistrations registrations;
    private final RegistryInspection inspection;
    private final IntentionAdministration intentions;
    private final Map<String, ConsulWatcher> watchers = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    public ConsulRegistry(ConsulRegistryOptions options) {
        this.options = options;
        this.failures = new ConsulFailures(options);
        this.consul = client(options);
        this.registrations = new ConsulRegistrations(consul.agentClient(), options, failures);
        this.inspection = new ConsulInspection(consul, options, failures, this::open);
        this.intentions = new ConsulIntentions(new ConsulHttpCalls(options), consul, options, failures, this::open);
        LOG.log(System.Logger.Level.INFO, "consul: registry using " + options);
    }

    public ConsulRegistryOptions options() {
        return options;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void register(ServiceInstance instance) {
        open();
        registrations.register(instance);
    }

    @Override
    public void deregister(ServiceInstance instance) {
        open();
        registrations.deregister(instance);
    }

    @Override
    public List<ServiceInstance> instances(String service) {
        open();
        return watcher(service).instances();
    }

    @Override
    public Set<String> services() {
        open();
        try {
            return ConsulInspection.serviceNames(consul, options);
        } catch (Exception e) {
            throw failures.translate("list services", e);
        }
    }

    @Override
    public Watch watch(String service, RegistryListener listener) {
        open();
        return watcher(service).addListener(listener);
    }

    /** Every instance with its checks, critical ones included, straight from Consul. */
    @Override
    public Optional<RegistryInspection> inspection() {
        return Optional.of(inspection);
    }

    /** Consul's intentions, read and written through its HTTP API (1.8's, or 1.9+'s exact-pair calls). */
    @Override
    public Optional<IntentionAdministration> intentions() {
        return Optional.of(intentions);
    }

    /** Re-registers whatever the agent has lost, now rather than at the next reconcile tick. */
    public void reconcileNow() {
        open();
        registrations.reconcile();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        registrations.close();
        watchers.values().forEach(ConsulWatcher::close);
        watchers.clear();
        consul.destroy();
    }

    @Override
    public String toString() {
        return "ConsulRegistry[" + options.address() + "]";
    }

    private ConsulWatcher watcher(String service) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service name must not be blank");
        }
        return watchers.computeIfAbsent(service, s -> {
            ConsulWatcher w = new ConsulWatcher(s, consul.healthClient(), options, failures);
            w.start();
            return w;
        });
    }

    private void open() {
        if (closed.get()) {
            throw new RegistryException("the Consul registry for " + options.address() + " is closed");
        }
    }

    private static Consul client(ConsulRegistryOptions options) {
        long timeoutMs = options.requestTimeout().toMillis();
        Consul.Builder builder = Consul.builder()
                .withUrl(options.address().toString())
                // no ping: a server must be able to start while Consul is down and register later
                .withPing(false)
                .withConnectTimeoutMillis(timeoutMs)
                .withReadTimeoutMillis(timeoutMs)
                .withWriteTimeoutMillis(timeoutMs);
        if (options.token().present()) {
            // a header, not withAclToken(): that one puts the token into the URL, where logs and errors would show it
            builder.withHeaders(Map.of("X-Consul-Token", options.token().value()));
        }
        try {
            return builder.build();
        } catch (Exception e) {
            throw new RegistryException("cannot set up a Consul client for " + options.address() + ": " + e.getClass().getSimpleName());
        }
    }
}
