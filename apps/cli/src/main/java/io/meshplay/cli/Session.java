package io.meshplay.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;

import io.helidon.config.Config;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.azqueue.AzureQueueBroker;
import io.meshplay.cli.catalog.Catalog;
import io.meshplay.cli.catalog.ConsulInspector;
import io.meshplay.cli.catalog.RegistryCatalog;
import io.meshplay.cli.queue.AzureQueueAccess;
import io.meshplay.cli.queue.BrokerQueueAccess;
import io.meshplay.cli.queue.QueueAccess;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.registry.consul.ConsulRegistryOptions;

/**
 * What one command run needs, created on first use from the config the apps read (so
 * {@code registry.type} / {@code broker.type} choose the plug-ins) and closed when the command ends.
 */
public final class Session implements AutoCloseable {

    private static final String MEMORY = "memory";

    private final Config config;
    private final Output output;
    private final PrintWriter err;
    private final InputStream in;
    private final boolean verbose;
    private final boolean interactive;
    private Registry registry;
    private Broker broker;
    private Catalog catalog;
    private QueueAccess queues;

    Session(Config config, Output output, PrintWriter err, InputStream in, boolean verbose, boolean interactive) {
        this.config = config;
        this.output = output;
        this.err = err;
        this.in = in;
        this.verbose = verbose;
        this.interactive = interactive;
    }

    public Config config() {
        return config;
    }

    public Output output() {
        return output;
    }

    public PrintWriter err() {
        return err;
    }

    public InputStream in() {
        return in;
    }

    public boolean verbose() {
        return verbose;
    }

    /** True when a person can answer a prompt (a terminal is attached). */
    public boolean interactive() {
        return interactive;
    }

    public String registryType() {
        return config.get("registry.type").asString().orElse(Registries.DEFAULT_TYPE);
    }

    public String brokerType() {
        return config.get("broker.type").asString().orElse(Brokers.DEFAULT_TYPE);
    }

    public Registry registry() {
        if (registry == null) {
            registry = Registries.create(config.get("registry"));
        }
        return registry;
    }

    public Broker broker() {
        if (broker == null) {
            broker = Brokers.create(config.get("broker"));
        }
        return broker;
    }

    /** Instances with their health: Consul's HTTP API for {@code consul}, else the Registry API (healthy only). */
    public Catalog catalog() {
        if (catalog == null) {
            catalog = "consul".equals(registryType())
                    ? new ConsulInspector(ConsulRegistryOptions.from(config.get("registry")))
                    : new RegistryCatalog(registry());
        }
        return catalog;
    }

    /** Peek, take and clear on queues: the broker's SDK clients for {@code azqueue}, else subscribing through the broker. */
    public QueueAccess queues() {
        if (queues == null) {
            queues = broker() instanceof AzureQueueBroker azure
                    ? new AzureQueueAccess(azure)
                    : new BrokerQueueAccess(broker(), Duration.ofSeconds(1));
        }
        return queues;
    }

    /**
     * Closes what was opened. The memory plug-ins are JVM-wide singletons shared with anything else in
     * this JVM (tests run the CLI in-process), so closing them would cut the others off; they are left open.
     */
    @Override
    public void close() {
        if (queues != null) {
            queues.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (broker != null && !MEMORY.equals(broker.type())) {
            broker.close();
        }
        if (registry != null && !MEMORY.equals(registry.type())) {
            registry.close();
        }
    }
}
