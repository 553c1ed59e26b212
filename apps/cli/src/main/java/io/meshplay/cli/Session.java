package io.meshplay.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Optional;

import io.helidon.config.Config;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueBrowsing;
import io.meshplay.client.SecureChannels;
import io.meshplay.registry.IntentionAdministration;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryInspection;
import io.meshplay.security.TransportSecurity;
import io.meshplay.tracing.Tracing;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * What one command run needs, created on first use from the config the apps read (so
 * {@code registry.type} / {@code broker.type} choose the plug-ins) and closed when the command ends.
 * Commands reach past publish/subscribe and discovery only through the plug-ins' capabilities; a plug-in
 * without the one a command needs fails it with one line naming the plug-in (exit 2: the config chose
 * a plug-in that cannot do this, as a wrong option would).
 */
public final class Session implements AutoCloseable {

    /** Who the CLI calls as under {@code tls.mode != off} (Consul intentions name it), unless {@code tls.identity} says. */
    public static final String IDENTITY = "meshplay-cli";

    private final Config config;
    private final Output output;
    private final PrintWriter err;
    private final InputStream in;
    private final boolean verbose;
    private final boolean interactive;
    private Registry registry;
    private Broker broker;
    private Optional<TransportSecurity> security;
    private Tracing tracing;

    /** What a command that reaches other processes ({@code call}, {@code publish}) runs inside {@link #traced}. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

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

    /**
     * The client side of {@code tls.*} for gRPC calls ({@code call}, {@code health}), calling as
     * {@code tls.identity}, default {@value #IDENTITY}; empty under {@code tls.mode: off}.
     */
    public Optional<TransportSecurity> transportSecurity() {
        if (security == null) {
            security = SecureChannels.open(config, IDENTITY);
        }
        return security;
    }

    /**
     * This run's tracing, as {@code tracing.*} says: spans are always sampled and their context sent on
     * (gRPC metadata, message headers), and exported to {@code tracing.endpoint} only under
     * {@code tracing.enabled}. Opened on first use; closing the session flushes it.
     */
    public Tracing tracing() {
        if (tracing == null) {
            tracing = Tracing.openPropagating(config, IDENTITY, MeshplayCli.version());
        }
        return tracing;
    }

    /**
     * Runs {@code work} in a new trace: an INTERNAL root span, current on this thread while it runs, under
     * which the client interceptor and the traced broker add their CLIENT / PRODUCER spans. With
     * {@code --verbose} the trace id is printed on stderr first ({@code meshplay: trace <id>}, and where
     * Zipkin shows it when spans are exported), so it is there even when the work fails.
     */
    <T> T traced(String spanName, Attributes attributes, Work<T> work) throws Exception {
        Tracing t = tracing();
        Span span = t.tracer().spanBuilder(spanName).setNoParent().setSpanKind(SpanKind.INTERNAL).setAllAttributes(attributes)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            if (verbose) {
                Tracing.currentTraceId().ifPresent(id -> err.println("meshplay: trace " + id
                        + t.traceUrl(id).map(url -> " (" + url + ")").orElse("")));
            }
            return work.run();
        } catch (Exception | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }

    /** Every instance with its checks, unhealthy ones included. */
    public RegistryInspection inspection() {
        return require(registry().inspection(), "registry '" + registry().type() + "'", "show instances with their health",
                RegistryInspection.class);
    }

    /** Who may call whom: the registry's intentions. */
    public IntentionAdministration intentions() {
        return require(registry().intentions(), "registry '" + registry().type() + "'", "read or write intentions",
                IntentionAdministration.class);
    }

    /** Queue lengths, taking messages off a queue, purging. */
    public QueueAdministration queueAdministration() {
        return require(broker().queueAdministration(), "broker '" + broker().type() + "'",
                "take messages off a queue or purge it", QueueAdministration.class);
    }

    /** Looking at queued messages without consuming them. */
    public QueueBrowsing queueBrowsing() {
        return require(broker().queueBrowsing(), "broker '" + broker().type() + "'", "show messages without consuming them",
                QueueBrowsing.class);
    }

    /** The capability, or the one-line error that names the plug-in and what it lacks. */
    private static <C> C require(Optional<C> capability, String plugin, String cannot, Class<C> type) {
        return capability.orElseThrow(() -> CliException.usage(plugin + " cannot " + cannot + ": " + type.getSimpleName()
                + " is not supported by " + plugin));
    }

    /**
     * Closes the plug-ins this command opened; each handle releases only what it owns. Tracing last: its
     * spans have ended by now, and closing sends those still queued (under {@code tracing.enabled}).
     */
    @Override
    public void close() {
        try {
            if (security != null) {
                security.ifPresent(TransportSecurity::close);
            }
            try {
                if (broker != null) {
                    broker.close();
                }
            } finally {
                if (registry != null) {
                    registry.close();
                }
            }
        } finally {
            if (tracing != null) {
                tracing.close();
            }
        }
    }
}
