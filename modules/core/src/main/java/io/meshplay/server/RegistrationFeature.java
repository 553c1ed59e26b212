package io.meshplay.server;

import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.spi.ServerFeature;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;

/**
 * Registers a running Helidon WebServer in a meshplay registry, hooked into the server's lifecycle the
 * way Helidon's Eureka integration is: the instance is built from the port the server actually bound
 * (so port 0 works) once it has started, and removed when it stops. Any Helidon SE server can add it
 * with {@code WebServer.builder().addFeature(RegistrationFeature.create(registry, port -> instance))}.
 *
 * <p>Stopping a server closes its listeners before {@code afterStop} runs, so clients could still be
 * sent to an instance that no longer accepts; {@link MeshplayServer} therefore calls
 * {@link #deregister()} itself before it stops the server, and {@code afterStop} is only the backstop.
 */
public final class RegistrationFeature implements ServerFeature {

    public static final String NAME = "meshplay-registration";

    private final Registry registry;
    private final IntFunction<ServiceInstance> instanceAtPort;
    private volatile Registration registration;

    private RegistrationFeature(Registry registry, IntFunction<ServiceInstance> instanceAtPort) {
        this.registry = registry;
        this.instanceAtPort = instanceAtPort;
    }

    /**
     * @param instanceAtPort builds the instance to register from the port the default socket bound
     */
    public static RegistrationFeature create(Registry registry, IntFunction<ServiceInstance> instanceAtPort) {
        return new RegistrationFeature(registry, instanceAtPort);
    }

    @Override
    public void setup(ServerFeatureContext context) {
        context.socket(WebServer.DEFAULT_SOCKET_NAME).httpRouting().addFeature(new Lifecycle());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String type() {
        return NAME;
    }

    /** The registered (or being registered) instance, once the server has started. */
    public Optional<ServiceInstance> instance() {
        Registration r = registration;
        return r == null ? Optional.empty() : Optional.of(r.instance());
    }

    public boolean registered() {
        Registration r = registration;
        return r != null && r.registered();
    }

    /** Why the instance is not registered (yet), for readiness. */
    public String lastError() {
        Registration r = registration;
        return r == null ? "server not started" : r.lastError();
    }

    /** Removes the instance and stops retrying; safe to call more than once. */
    public void deregister() {
        Registration r = registration;
        if (r != null) {
            r.deregister();
        }
    }

    private final class Lifecycle implements HttpFeature {
        @Override
        public void setup(HttpRouting.Builder routing) {
        }

        @Override
        public void afterStart(WebServer server) {
            if (server.isRunning()) {
                Registration r = new Registration(registry, instanceAtPort.apply(server.port()));
                registration = r;
                Metrics.getOrCreate(Gauge.builder("meshplay.registry.registered", () -> r.registered() ? 1 : 0)
                        .description("1 while this instance is registered in the registry, 0 while it is not (yet)")
                        .tags(List.of(Tag.create("service", r.instance().name()), Tag.create("instance", r.instance().id()),
                                Tag.create("registry", registry.type()))));
                r.start();
            }
        }

        @Override
        public void afterStop() {
            deregister();
        }
    }
}
