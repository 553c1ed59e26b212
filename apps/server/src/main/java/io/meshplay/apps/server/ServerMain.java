package io.meshplay.apps.server;

import java.lang.System.Logger.Level;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.meshplay.broker.SubscribeOptions;
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

    /** The server's own keys, checked at start and listed by --help. */
    static final Options OPTIONS = ServerOptions.OPTIONS.and(Options.of(TOPIC, CONCURRENCY));

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

    /** Starts the server from config; the caller closes it. */
    public static MeshplayServer start(Config config) {
        String topic = TOPIC.get(config);
        int concurrency = CONCURRENCY.get(config);
        String[] self = new String[1];
        MeshplayServer server = MeshplayServer.builder()
                .config(config)
                .addService(new ExampleService())
                .subscribe(topic, Message.getDefaultInstance(), (message, event) ->
                                LOG.log(Level.INFO, "received on " + event.topic() + " by " + self[0] + ": say=" + message.getSay()
                                        + " (attempt " + event.attempt() + ")"),
                        SubscribeOptions.defaults().withConcurrency(concurrency).withName("example-sample-handler"))
                .start();
        self[0] = server.instance().id();
        return server;
    }
}
