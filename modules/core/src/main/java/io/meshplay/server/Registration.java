package io.meshplay.server;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.retry.Backoff;

/**
 * Keeps trying to register until it succeeds, so a server started while the registry is down still
 * serves and becomes discoverable once the registry is back. Readiness reads {@link #registered()}.
 */
final class Registration {

    private static final System.Logger LOG = System.getLogger(Registration.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final Registry registry;
    private final ServiceInstance instance;
    private volatile boolean registered;
    private volatile boolean stopped;
    private volatile String lastError = "not attempted yet";
    private Thread worker;

    Registration(Registry registry, ServiceInstance instance) {
        this.registry = registry;
        this.instance = instance;
    }

    /** Tries once now (so a healthy registry is used before start returns), then retries in the background. */
    void start() {
        if (attempt()) {
            return;
        }
        worker = Thread.ofVirtual().name("meshplay-registration").start(this::retry);
    }

    private void retry() {
        Backoff backoff = Backoff.exponential(FIRST_BACKOFF, MAX_BACKOFF);
        while (!stopped && !registered) {
            LockSupport.parkNanos(backoff.next().toNanos());
            if (!stopped && attempt()) {
                LOG.log(Level.INFO, "registered " + instance.id() + " in " + registry.type() + " after retrying");
                return;
            }
        }
    }

    /** Synchronized with {@link #deregister()} so a registration cannot land after the instance was removed. */
    private synchronized boolean attempt() {
        if (stopped) {
            return false;
        }
        try {
            registry.register(instance);
            registered = true;
            return true;
        } catch (RuntimeException e) {
            if (!lastError.equals(String.valueOf(e.getMessage()))) {
                LOG.log(Level.WARNING, "cannot register " + instance.id() + " in " + registry.type()
                        + " (will keep retrying): " + e.getMessage());
            }
            lastError = String.valueOf(e.getMessage());
            return false;
        }
    }

    ServiceInstance instance() {
        return instance;
    }

    boolean registered() {
        return registered;
    }

    String lastError() {
        return lastError;
    }

    /** Stops retrying and removes the instance; called before the server stops accepting. */
    synchronized void deregister() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (worker != null) {
            worker.interrupt();
        }
        if (!registered) {
            return; // never got in: nothing to remove, and a registry that refused us would only refuse again
        }
        try {
            registry.deregister(instance);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot deregister " + instance.id() + " from " + registry.type() + ": " + e.getMessage());
        }
        registered = false;
    }
}
