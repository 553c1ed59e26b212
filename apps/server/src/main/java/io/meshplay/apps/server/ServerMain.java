package io.meshplay.apps.server;

import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.config.AppArgs;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.Message;
import io.meshplay.example.service.ExampleService;
import io.meshplay.server.MeshplayServer;

/** The example server: serves Example, registers, and logs what arrives on {@code sample-queue}. */
public final class ServerMain {

    private static final System.Logger LOG = System.getLogger(ServerMain.class.getName());

    private ServerMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("service.name", "name clients resolve (default example)");
        keys.put("service.version", "version registered with the instance");
        keys.put("service.advertise-host", "address registered for clients (default server.host)");
        keys.put("grpc.transport", "netty (default; every gRPC client) or helidon (Helidon's routing on server.port)");
        keys.put("grpc.port", "gRPC listen port with the netty transport; 0 picks a free one");
        keys.put("grpc.host", "gRPC listen address (default server.host)");
        keys.put("server.port", "observe endpoints' port (metrics, health; gRPC too on helidon); 0 picks a free one");
        keys.put("server.host", "listen address");
        keys.put("subscriber.topic", "queue the server consumes (default sample-queue)");
        keys.put("subscriber.concurrency", "messages handled at once (default 16)");
        keys.putAll(AppArgs.commonKeys());
        AppArgs cli = AppArgs.parse("server", "serves the Example gRPC service and subscribes to sample-queue",
                Map.of(), keys, args);
        Config config = MeshplayConfig.load("server", cli.overrides());
        start(config).closeOnShutdown();
    }

    /** Starts the server from config; the caller closes it. */
    public static MeshplayServer start(Config config) {
        String topic = config.get("subscriber.topic").asString().orElse("sample-queue");
        int concurrency = config.get("subscriber.concurrency").asInt().orElse(SubscribeOptions.DEFAULT_CONCURRENCY);
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
