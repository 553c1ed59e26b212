package io.meshplay.apps.stream;

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
import io.meshplay.example.client.ServerStream;

/** Resolves the example service by name and prints a server stream. */
public final class StreamMain {

    private static final Option<String> SERVICE = Option.string("client.service", "service to resolve").defaultValue("example");

    private StreamMain() {
    }

    public static void main(String[] args) {
        Startup.run("client-stream", args, StreamMain::run);
    }

    private static void run(String[] args) {
        LogConfig.configureRuntime();
        AppArgs cli = AppArgs.parse("client-stream", "asks the example service for a stream and prints it",
                Map.of("count", "responses to ask for (default 10)"), Options.of(SERVICE).and(MeshplayClient.OPTIONS), args);
        Config config = cli.loadConfig();
        long count = cli.longFlag("count", 10);
        try (MeshplayClient client = MeshplayClient.create(config, "client-stream")) {
            List<Long> got = stream(client, SERVICE.get(config), count, true);
            System.exit(got.size() == count ? 0 : 1);
        }
    }

    /** Asks for {@code count} responses; returns their counts in order. */
    public static List<Long> stream(MeshplayClient client, String service, long count, boolean print) {
        ServedBy servedBy = new ServedBy();
        Channel channel = ClientInterceptors.intercept(client.channel(service), servedBy.interceptor());
        return ServerStream.stream(channel, count,
                print ? c -> System.out.println("stream response " + c + " from " + servedBy.instance()) : c -> { });
    }
}
