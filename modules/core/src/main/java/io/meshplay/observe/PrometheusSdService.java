package io.meshplay.observe;

import java.lang.System.Logger.Level;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryException;

/**
 * Prometheus service discovery from the registry, for Prometheus builds without consul_sd (Debian's):
 * {@code GET /observe/prometheus-sd} answers the registry's metrics-tagged instances in http_sd JSON,
 * so {@code http_sd_configs: [{url: http://<any server>/observe/prometheus-sd}]} finds every instance.
 * When the registry cannot answer it returns 503, and Prometheus keeps its last targets.
 */
public final class PrometheusSdService implements HttpService {

    public static final String PATH = "/observe/prometheus-sd";

    private static final System.Logger LOG = System.getLogger(PrometheusSdService.class.getName());

    private final Registry registry;

    public PrometheusSdService(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::targets);
    }

    private void targets(ServerRequest request, ServerResponse response) {
        String body;
        try {
            body = HttpSdJson.encode(PrometheusTargets.of(registry));
        } catch (RegistryException e) {
            LOG.log(Level.WARNING, "prometheus-sd: the " + registry.type() + " registry did not answer: " + e.getMessage());
            response.status(Status.SERVICE_UNAVAILABLE_503)
                    .header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN)
                    .send("registry " + registry.type() + " unavailable: " + e.getMessage() + "\n");
            return;
        }
        response.header(HeaderValues.CONTENT_TYPE_JSON).send(body);
    }
}
