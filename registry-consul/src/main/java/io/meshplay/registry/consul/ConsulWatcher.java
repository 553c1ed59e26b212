package io.meshplay.registry.consul;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.meshplay.registry.RegistryException;
import io.meshplay.registry.RegistryListener;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.Watch;
import io.meshplay.retry.Backoff;
import io.meshplay.retry.OutageLog;
import org.kiwiproject.consul.HealthClient;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.ImmutableQueryOptions;
import org.kiwiproject.consul.option.QueryOptions;

/**
 * Keeps the healthy instances of one service fresh with Consul blocking queries on
 * {@code /v1/health/service/<name>?passing} (index + wait), so lookups never go to Consul and changes
 * arrive as soon as Consul knows them.
 *
 * <p>On errors it backs off exponentially up to {@code watch-max-backoff} and keeps the last-known-good
 * list: an unreachable Consul must not empty every client's address list. The outage is logged (and
 * told to listeners) once, and its end once.
 */
final class ConsulWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConsulWatcher.class.getName());
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    private static final int MAX_SPURIOUS_INTERRUPTS = 3;

    private final String service;
    private final HealthClient health;
    private final ConsulRegistryOptions options;
    private final ConsulFailures failures;
    private final CopyOnWriteArrayList<RegistryListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstAnswer = new CompletableFuture<>();
    private final Thread thread;
    private volatile List<ServiceInstance> current;
    private volatile long lastContactNanos;
    private volatile boolean running = true;
    private volatile RegistryException outage;
    private final OutageLog outageLog;
    private int spuriousInterrupts;

    ConsulWatcher(String service, HealthClient health, ConsulRegistryOptions options, ConsulFailures failures) {
        this.service = service;
        this.health = health;
        this.options = options;
        this.failures = failures;
        this.thread = Thread.ofPlatform().daemon().name("meshplay-consul-watch-" + service).unstarted(this::run);
        this.outageLog = new OutageLog("consul: watch of service '" + service + "' at " + options.address());
        ConsulMetrics.cacheAge(service, this::cacheAgeSeconds);
    }

    void start() {
        thread.start();
    }

    /**
     * The cached healthy instances. Only the first lookup of a service waits (at most the request timeout)
     * for Consul's first answer; after that the cache answers, even during an outage.
     *
     * @throws RegistryException if Consul has never answered for this service
     */
    List<ServiceInstance> instances() {
        List<ServiceInstance> view = current;
        if (view != null) {
            ConsulMetrics.cacheLookup(service);
            return view;
        }
        try {
            firstAnswer.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while looking up " + service + " in Consul", e);
        } catch (TimeoutException e) {
            throw new RegistryException("no answer from Consul at " + options.address() + " for service '" + service
                    + "' within " + options.requestTimeout() + " (registry.consul.request-timeout)");
        } catch (ExecutionException e) {
            // fall through: an outage before any answer
        }
        view = current;
        if (view != null) {
            return view;
        }
        RegistryException error = outage;
        throw error != null ? error : new RegistryException("no instances of '" + service + "' known yet");
    }

    Watch addListener(RegistryListener listener) {
        listeners.add(listener);
        List<ServiceInstance> view = current;
        if (view != null) {
            // "now and after every change": a late listener gets the current list at once
            listener.onChange(view);
        } else if (outage != null) {
            listener.onError(outage);
        }
        return () -> listeners.remove(listener);
    }

    double cacheAgeSeconds() {
        long last = lastContactNanos;
        return last == 0 ? 0 : (System.nanoTime() - last) / 1e9;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        listeners.clear();
    }

    private void run() {
        BigInteger index = null;
        Backoff backoff = Backoff.exponential(MIN_BACKOFF, options.watchMaxBackoff());
        int waitSeconds = (int) Math.max(1, options.watchWait().toSeconds());
        while (running) {
            try {
                ConsulResponse<List<ServiceHealth>> response = health.getHealthyServiceInstances(service, query(index, waitSeconds));
                if (!running) {
                    return;
                }
                lastContactNanos = System.nanoTime();
                spuriousInterrupts = 0;
                backoff.reset();
                index = nextIndex(index, response.getIndex());
                recovered();
                List<ServiceInstance> view = ConsulEncoding.instances(response.getResponse());
                if (!view.equals(current)) {
                    current = view;
                    ConsulMetrics.watchUpdate(service);
                    LOG.log(System.Logger.Level.DEBUG, () -> "consul: " + service + " now has " + view.size() + " healthy instance(s)");
                    notifyChange(view);
                }
                firstAnswer.complete(null);
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                if (interruptedWhileOpen(e) && ++spuriousInterrupts <= MAX_SPURIOUS_INTERRUPTS) {
                    // the watcher was not closed, so nobody meant to stop it: HTTP client internals (okhttp's
                    // connect fallback) can hand an interruption to this thread; that is no Consul outage
                    LOG.log(System.Logger.Level.DEBUG, () -> "consul: watch of " + service + " interrupted while open; retrying: " + e);
                    continue;
                }
                ConsulMetrics.watchError(service);
                failed(failures.translate("watch of service '" + service + "'", e));
                index = null;
                if (!pause(backoff.next())) {
                    return;
                }
            }
        }
    }

    private QueryOptions query(BigInteger index, int waitSeconds) {
        ImmutableQueryOptions.Builder q = index == null
                ? ImmutableQueryOptions.builder()
                : QueryOptions.blockSeconds(waitSeconds, index);
        options.datacenter().ifPresent(q::datacenter);
        return q.build();
    }

    /** Consul's rules: an index that goes backwards (agent restart, snapshot restore) means start over. */
    private static BigInteger nextIndex(BigInteger previous, BigInteger received) {
        if (received == null || received.signum() <= 0) {
            return BigInteger.ONE;
        }
        if (previous != null && received.compareTo(previous) < 0) {
            return null;
        }
        return received;
    }

    private void failed(RegistryException error) {
        outage = error;
        firstAnswer.completeExceptionally(error);
        String serving = current == null ? "no cached list yet" : "serving the last-known-good list of " + current.size() + " instance(s)";
        if (outageLog.failure(error.getMessage() + "; " + serving + "; retrying with backoff up to " + options.watchMaxBackoff())) {
            for (RegistryListener listener : listeners) {
                try {
                    listener.onError(error);
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "consul: a registry listener of " + service + " failed: " + e);
                }
            }
        }
    }

    private void recovered() {
        outage = null;
        outageLog.success();
    }

    private void notifyChange(List<ServiceInstance> view) {
        for (RegistryListener listener : listeners) {
            try {
                listener.onChange(view);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "consul: a registry listener of " + service + " failed: " + e);
            }
        }
    }

    /** True (and the thread's interrupt status cleared) if {@code error} came from an interruption. */
    private static boolean interruptedWhileOpen(Throwable error) {
        boolean interrupted = Thread.interrupted();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException
                    // okhttp reports its own timeouts as InterruptedIOException("timeout"): those are real
                    || (t instanceof java.io.InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)
                            && !"timeout".equals(t.getMessage()))) {
                return true;
            }
        }
        return interrupted;
    }

    /** Backoff between failed attempts; false if the watcher was closed meanwhile. */
    private boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
