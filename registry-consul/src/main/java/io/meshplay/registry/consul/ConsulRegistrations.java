package io.meshplay.registry.consul;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.meshplay.registry.RegistryException;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.retry.OutageLog;
import org.kiwiproject.consul.AgentClient;
import org.kiwiproject.consul.NotRegisteredException;
import org.kiwiproject.consul.model.agent.Registration;

/**
 * The instances this process registered, kept registered: a reconcile loop asks the agent for each one
 * ({@code /v1/agent/service/<id>}) and registers it again if the agent has lost it (agent restart, a
 * dev agent's wiped state, an operator's deregister), so a server survives that without restarting.
 * For TTL checks it also reports "passing" on schedule.
 */
final class ConsulRegistrations implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConsulRegistrations.class.getName());

    private final AgentClient agent;
    private final ConsulRegistryOptions options;
    private final ConsulFailures failures;
    private final Map<String, Registration> registered = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final OutageLog outage;
    private final ConnectNativeRegistrar connectNative;

    ConsulRegistrations(AgentClient agent, ConsulRegistryOptions options, ConsulFailures failures) {
        this.agent = agent;
        this.connectNative = new ConnectNativeRegistrar(options, failures);
        this.options = options;
        this.failures = failures;
        this.outage = new OutageLog("consul: reconciling registrations with the agent at " + options.address());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("meshplay-consul-reconcile").unstarted(r));
        long reconcileMs = options.reconcileInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::reconcile, reconcileMs, reconcileMs, TimeUnit.MILLISECONDS);
        if (options.checkType() == ConsulRegistryOptions.CheckType.TTL) {
            long heartbeatMs = Math.max(100, options.checkInterval().toMillis() / 3);
            scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Registers now; a failure is the caller's to retry (the server runtime does, with backoff). */
    void register(ServiceInstance instance) {
        ConsulEncoding.Encoded encoded = ConsulEncoding.registration(instance, options);
        encoded.warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, "consul: " + instance.id() + ": " + w));
        try {
            put(encoded.registration());
        } catch (Exception e) {
            throw failures.translate("register " + instance.id(), e);
        }
        registered.put(instance.id(), encoded.registration());
        ConsulMetrics.registration(instance.name());
        if (options.checkType() == ConsulRegistryOptions.CheckType.TTL) {
            // a TTL check starts critical: pass it at once so the instance is usable now, not after a heartbeat
            pass(instance.id());
        }
        LOG.log(System.Logger.Level.INFO, "consul: registered " + instance.id() + " (" + instance.address() + ", "
                + ConsulEncoding.checkType(instance, options).name().toLowerCase() + " check every "
                + ConsulEncoding.goDuration(options.checkInterval())
                + (ConsulEncoding.connectNative(encoded.registration()) ? ", Connect native" : "")
                + ") with " + options.address());
    }

    void deregister(ServiceInstance instance) {
        // forget it first, so a reconcile running meanwhile cannot bring it back
        registered.remove(instance.id());
        try {
            agent.deregister(instance.id());
            LOG.log(System.Logger.Level.INFO, "consul: deregistered " + instance.id());
        } catch (Exception e) {
            int status = ConsulFailures.status(e);
            // unknown to the agent: nothing to remove (Consul 1.8 answers 500 "Unknown service", later ones 404)
            if (status == 404 || status == 500 && String.valueOf(e.getMessage()).contains("Unknown service")) {
                return;
            }
            throw failures.translate("deregister " + instance.id(), e);
        }
    }

    /** Visible for tests: one reconcile pass now. */
    void reconcile() {
        for (Map.Entry<String, Registration> e : registered.entrySet()) {
            String id = e.getKey();
            try {
                agent.getService(id, org.kiwiproject.consul.option.QueryOptions.BLANK);
                connected();
            } catch (NotRegisteredException missing) {
                // the client reports outages as "not registered" too; re-registering tells them apart
                restore(id, e.getValue());
            } catch (Exception other) {
                unreachable(failures.translate("reconcile of " + id, other));
            }
        }
    }

    private void restore(String id, Registration registration) {
        try {
            if (!registered.containsKey(id)) {
                return;
            }
            put(registration);
            if (options.checkType() == ConsulRegistryOptions.CheckType.TTL) {
                pass(id);
            }
            connected();
            ConsulMetrics.reregistration(registration.getName());
            LOG.log(System.Logger.Level.INFO, "consul: re-registered " + id + " (the agent at " + options.address() + " had lost it)");
        } catch (Exception ex) {
            unreachable(failures.translate("re-registration of " + id, ex));
        }
    }

    /** Registers through consul-client, or directly for a Connect-native instance (its model has no Connect field). */
    private void put(Registration registration) {
        // kept without a status: a re-registration runs the first check again
        Registration checked = FirstCheck.applied(registration, options.checkTimeout());
        if (ConsulEncoding.connectNative(checked)) {
            connectNative.register(checked);
        } else {
            agent.register(checked);
        }
    }

    private void heartbeat() {
        for (String id : registered.keySet()) {
            pass(id);
        }
    }

    private void pass(String id) {
        try {
            agent.pass(id);
        } catch (NotRegisteredException e) {
            // lost or unreachable: the reconcile loop sorts out which and restores it
            LOG.log(System.Logger.Level.DEBUG, () -> "consul: TTL pass for " + id + " failed; reconcile will restore it");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "consul: TTL pass for " + id + " failed: " + e.getClass().getSimpleName());
        }
    }

    private void unreachable(RegistryException error) {
        outage.failure(error.getMessage() + "; registrations are kept and checked again every "
                + ConsulEncoding.goDuration(options.reconcileInterval()));
    }

    private void connected() {
        outage.success();
    }

    int count() {
        return registered.size();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(Duration.ofSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connectNative.close();
    }
}
