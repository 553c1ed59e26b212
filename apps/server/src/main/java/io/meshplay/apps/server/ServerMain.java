package io.meshplay.apps.server;

import java.lang.System.Logger.Level;
import java.util.Map;

import io.grpc.Status;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.codec.TypedBroker;
import io.meshplay.config.AppArgs;
import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.config.Startup;
import io.meshplay.example.proto.Message;
import io.meshplay.example.service.ExampleService;
import io.meshplay.server.MeshplayServer;
import io.meshplay.server.ServerOptions;

/** The example server: serves Example, registers, and logs what arrives on {@code sample-queue}. */
public final class ServerMain {

    private static final System.Logger LOG = System.getLogger(ServerMain.class.getName());
    private static final Option<String> TOPIC = Option.string("subscriber.topic", "queue the server consumes")
            .defaultValue("sample-queue");
    private static final Option<Integer> CONCURRENCY = Option.integer("subscriber.concurrency", "messages handled at once")
            .range(1, Integer.MAX_VALUE, "an integer of 1 or more").defaultValue(SubscribeOptions.DEFAULT_CONCURRENCY);

    private static final Option<String> PUBLISH_TOPIC = Option.string("publisher.topic",
            "each Call publishes Message{say: Hello <name>} to this queue before it answers").defaultShown("none");

    /** The server's own keys, checked at start and listed by --help. */
    static final Options OPTIONS = ServerOptions.OPTIONS.and(Options.of(TOPIC, CONCURRENCY, PUBLISH_TOPIC));

    private ServerMain() {
    }

    public static void main(String[] args) {
        Startup.run("server", args, a -> {
            LogConfig.configureRuntime();
            start(config(a)).closeOnShutdown();
        });
    }

    /** The server's config from its command line and config folder, every declared key checked. */
    static Config config(String[] args) {
        return AppArgs.parse("server", "serves the Example gRPC service and subscribes to sample-queue",
                Map.of(), OPTIONS, args).loadConfig();
    }

    private static void announce(TypedBroker publisher, String queue, String name) {
        if (publisher == null) {
            // a call that arrives between listening and the end of start(): the client retries UNAVAILABLE
            throw Status.UNAVAILABLE.withDescription("the server is still starting").asRuntimeException();
        }
        publisher.publish(queue, Message.newBuilder().setSay("Hello " + name).build());
    }

    /** Starts the server from config; the caller closes it. */
    public static MeshplayServer start(Config config) {
        String topic = TOPIC.get(config);
        int concurrency = CONCURRENCY.get(config);
        String[] self = new String[1];
        TypedBroker[] publisher = new TypedBroker[1];
        ExampleService service = PUBLISH_TOPIC.find(config)
                .map(queue -> new ExampleService(request -> announce(publisher[0], queue, request.getName())))
                .orElseGet(ExampleService::new);
        MeshplayServer server = MeshplayServer.builder()
                .config(config)
                .addService(service)
                .subscribe(topic, Message.getDefaultInstance(), (message, event) ->
                                LOG.log(Level.INFO, "received on " + event.topic() + " by " + self[0] + ": say=" + message.getSay()
                                        + " (attempt " + event.attempt() + ")"),
                        SubscribeOptions.defaults().withConcurrency(concurrency).withName("example-sample-handler"))
                .start();
        self[0] = server.instance().id();
        publisher[0] = new TypedBroker(server.broker()); // the server's broker: traced when tracing is on
        return server;
    }
}
