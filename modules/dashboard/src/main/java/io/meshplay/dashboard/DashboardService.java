package io.meshplay.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerException;
import io.meshplay.broker.Poison;
import io.meshplay.broker.PoisonReplay;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueNotFoundException;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryException;

/**
 * The web dashboard ({@code micro web}): services, instances, call rates, queues and intentions of the mesh, on one
 * page. Register it at {@code /}: it answers {@code GET /} and everything under {@code /_/dashboard/}, nothing else.
 *
 * <p>Requests that change something (replay, purge) must be {@code application/json}: a page of another site cannot
 * send that without the browser asking this origin first, so a link or a form elsewhere cannot empty a queue.
 */
public final class DashboardService implements HttpService, AutoCloseable {

    /** Where everything but the page itself lives. */
    public static final String PREFIX = "/_/dashboard";

    private static final System.Logger LOG = System.getLogger(DashboardService.class.getName());
    /** How long a message being replayed stays hidden from subscribers; far longer than one publish takes. */
    private static final Duration REPLAY_VISIBILITY = Duration.ofSeconds(30);
    /** Messages one replay moves at most, so one click is one bounded piece of work. */
    private static final int REPLAY_MAX = 1_000;
    private static final Map<String, String> STATIC = Map.of("dashboard.js", "text/javascript; charset=UTF-8",
            "dashboard.css", "text/css; charset=UTF-8");

    private final DashboardOptions options;
    private final Registry registry;
    private final Optional<Broker> broker;
    private final CallRates rates;
    private final MeshHtml meshHtml;
    private final Map<String, byte[]> staticFiles = new LinkedHashMap<>();

    private DashboardService(DashboardOptions options, Registry registry, Optional<Broker> broker) {
        this.options = options;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.rates = new CallRates(registry, options.scrapeInterval(), options.scrapeTimeout());
        this.meshHtml = new MeshHtml(options);
        STATIC.keySet().forEach(name -> staticFiles.put(name, resource(name)));
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
        rules.get("/", guarded(this::page))
                .get(PREFIX + "/static/{file}", guarded(this::staticFile))
                .get(PREFIX + "/fragment/mesh", guarded((req, res) -> html(res, meshHtml.render(mesh(), rates))))
                .get(PREFIX + "/fragment/queues", guarded((req, res) -> html(res, QueuesHtml.render(queues()))))
                .get(PREFIX + "/api/services", guarded((req, res) -> json(res, Status.OK_200, DashboardJson.mesh(mesh(), rates))))
                .get(PREFIX + "/api/queues", guarded((req, res) -> json(res, Status.OK_200, DashboardJson.queues(queues()))))
                .post(PREFIX + "/api/queues/{queue}/replay", guarded(this::replay))
                .post(PREFIX + "/api/queues/{queue}/purge", guarded(this::purge))
                .any(PREFIX + "/*", (req, res) -> json(res, Status.NOT_FOUND_404, DashboardJson.error(404,
                        "no such dashboard resource: " + req.prologue().method().text() + " " + req.path().path())));
    }

    private MeshSnapshot mesh() {
        rates.demand();
        return MeshSnapshot.read(registry, rates);
    }

    private QueueSnapshot queues() {
        return QueueSnapshot.read(broker, options.queues());
    }

    private void page(ServerRequest request, ServerResponse response) {
        MeshSnapshot mesh = mesh();
        QueueSnapshot queues = queues();
        html(response, Page.render(options, meshHtml.render(mesh, rates), QueuesHtml.render(queues), summary(mesh, queues)));
    }

    /** What the live region announces: it changes only when the mesh does, not on every refresh. */
    static String summary(MeshSnapshot mesh, QueueSnapshot queues) {
        long poisoned = queues.queues().stream().mapToLong(QueueSnapshot.Queue::poisonLength).sum();
        return mesh.services().size() + " service(s), " + mesh.instanceCount() + " instance(s), " + mesh.passingCount()
                + " passing; " + poisoned + " poisoned message(s).";
    }

    private void staticFile(ServerRequest request, ServerResponse response) {
        String name = request.path().pathParameters().get("file");
        byte[] content = staticFiles.get(name);
        if (content == null) {
            json(response, Status.NOT_FOUND_404, DashboardJson.error(404, "no such file: " + name));
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, STATIC.get(name)).header(HeaderNames.CACHE_CONTROL, "no-cache").send(content);
    }

    private void replay(ServerRequest request, ServerResponse response) {
        String queue = configuredQueue(request, response);
        if (queue == null || !jsonRequest(request, response)) {
            return;
        }
        QueueAdministration admin = administration(response);
        if (admin == null) {
            return;
        }
        PoisonReplay.Result result;
        try {
            result = PoisonReplay.replay(broker.orElseThrow(), admin, queue, REPLAY_MAX, REPLAY_VISIBILITY);
        } catch (QueueNotFoundException e) {
            json(response, Status.NOT_FOUND_404, DashboardJson.error(404, "nothing was poisoned yet: '"
                    + Poison.queueOf(queue) + "' does not exist"));
            return;
        }
        LOG.log(System.Logger.Level.INFO, "dashboard: replayed " + result.replayed().size() + " message(s) from "
                + Poison.queueOf(queue) + " to " + queue);
        json(response, Status.OK_200, DashboardJson.replayed(queue, result));
    }

    private void purge(ServerRequest request, ServerResponse response) {
        String queue = configuredQueue(request, response);
        if (queue == null || !jsonRequest(request, response)) {
            return;
        }
        String poison = Poison.queueOf(queue);
        JsonObject body;
        try {
            JsonElement parsed = DashboardJson.parseObject(request.content().as(String.class));
            body = parsed != null && parsed.isJsonObject() ? parsed.getAsJsonObject() : null;
        } catch (JsonParseException | ClassCastException e) {
            body = null;
        }
        JsonElement confirm = body == null ? null : body.get("confirm");
        if (confirm == null || !confirm.isJsonPrimitive() || !poison.equals(confirm.getAsString())) {
            json(response, Status.BAD_REQUEST_400, DashboardJson.error(400, "purging deletes every message of '" + poison
                    + "': confirm with the body {\"confirm\": \"" + poison + "\"}"));
            return;
        }
        QueueAdministration admin = administration(response);
        if (admin == null) {
            return;
        }
        long count;
        try {
            count = admin.length(poison);
            admin.purge(poison);
        } catch (QueueNotFoundException e) {
            count = 0;
        }
        LOG.log(System.Logger.Level.INFO, "dashboard: purged about " + count + " message(s) from " + poison);
        json(response, Status.OK_200, DashboardJson.object(Map.of("queue", poison, "purged", count)));
    }

    /** The {queue} parameter when it is one of dashboard.queues; otherwise answers 404 and returns null. */
    private String configuredQueue(ServerRequest request, ServerResponse response) {
        String queue = request.path().pathParameters().get("queue");
        if (!QueueSnapshot.configured(options.queues(), queue)) {
            json(response, Status.NOT_FOUND_404, DashboardJson.error(404, "'" + queue + "' is not a queue this dashboard shows"
                    + " (dashboard.queues: " + String.join(", ", options.queues()) + ")"));
            return null;
        }
        return queue;
    }

    private static boolean jsonRequest(ServerRequest request, ServerResponse response) {
        String type = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            json(response, Status.UNSUPPORTED_MEDIA_TYPE_415, DashboardJson.error(415,
                    "send Content-Type: application/json (got '" + type + "')"));
            return false;
        }
        return true;
    }

    private QueueAdministration administration(ServerResponse response) {
        Optional<QueueAdministration> admin = broker.flatMap(Broker::queueAdministration);
        if (admin.isEmpty()) {
            json(response, Status.CONFLICT_409, DashboardJson.error(409, broker.isEmpty() ? "no broker is configured"
                    : "broker '" + broker.get().type() + "' cannot take messages off a queue"));
            return null;
        }
        return admin.get();
    }

    /** Registry and broker failures are 503 with their message (which never holds a credential); anything else 500. */
    private static Handler guarded(Handler handler) {
        return (request, response) -> {
            try {
                handler.handle(request, response);
            } catch (RegistryException | BrokerException e) {
                json(response, Status.SERVICE_UNAVAILABLE_503, DashboardJson.error(503, e.getMessage()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "dashboard: " + request.prologue().method().text() + " "
                        + request.path().path() + " failed", e);
                json(response, Status.INTERNAL_SERVER_ERROR_500, DashboardJson.error(500,
                        "the dashboard failed on this request; the server log has the details"));
            }
        };
    }

    private static void html(ServerResponse response, String html) {
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8"))
                .header(HeaderNames.CACHE_CONTROL, "no-store").send(html);
    }

    private static void json(ServerResponse response, Status status, String json) {
        response.status(status).header(HeaderValues.CONTENT_TYPE_JSON).header(HeaderNames.CACHE_CONTROL, "no-store").send(json);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardService.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the dashboard's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /** Stops the call-rate scrapes; the registry and broker stay the caller's. */
    @Override
    public void afterStop() {
        close();
    }

    @Override
    public void close() {
        rates.close();
    }
}
