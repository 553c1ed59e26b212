package io.meshplay.apps.pingpong;

import java.util.List;
import java.util.Map;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.meshplay.client.MeshplayClient;
import io.meshplay.client.ServedBy;
import io.meshplay.config.AppArgs;
import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.config.Startup;
import io.meshplay.example.client.PingPong;

/** Resolves the example service by name and plays ping-pong over one bidi stream. */
public final class PingPongMain {

    private static final Option<String> SERVICE = Option.string("client.service", "service to resolve").defaultValue("example");

    private PingPongMain() {
    }

    public static void main(String[] args) {
        Startup.run("client-pingpong", args, PingPongMain::run);
    }

    private static void run(String[] args) throws Exception {
        LogConfig.configureRuntime();
        AppArgs cli = AppArgs.parse("client-pingpong", "sends pings to the example service and prints the pongs",
                Map.of("count", "pings to send (default 10)"), Options.of(SERVICE).and(MeshplayClient.OPTIONS), args);
        Config config = cli.loadConfig();
        try (MeshplayClient client = MeshplayClient.create(config, "client-pingpong")) {
            List<Long> pongs = play(client, SERVICE.get(config),
                    (int) cli.longFlag("count", 10), true);
            System.exit(pongs.size() == cli.longFlag("count", 10) ? 0 : 1);
        }
    }

    /** Sends {@code count} pings on one stream; returns the strokes of the pongs in order. */
    public static List<Long> play(MeshplayClient client, String service, int count, boolean print) throws InterruptedException {
        ServedBy servedBy = new ServedBy();
        Channel channel = ClientInterceptors.intercept(client.channel(service), servedBy.interceptor());
        return PingPong.play(channel, count,
                print ? stroke -> System.out.println("pong " + stroke + " from " + servedBy.instance()) : stroke -> { });
    }
}
