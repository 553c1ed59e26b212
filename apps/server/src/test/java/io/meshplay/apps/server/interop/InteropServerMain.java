package io.meshplay.apps.server.interop;

import java.util.Map;
import java.util.function.Supplier;

import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.meshplay.example.service.ExampleService;
import io.meshplay.config.AppArgs;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.server.MeshplayServer;
import io.meshplay.server.ServerOptions;

/**
 * The example server for the interoperability suite: the same {@link ExampleService} on the same
 * {@link MeshplayServer} runtime as {@code ServerMain}, plus gauges on /observe/metrics. They are here, not
 * in ServerMain, because ServerMain exposes nothing a test in another process can read to tell that a
 * cancelled or expired stream stopped producing (ExampleService counts, but does not publish); once
 * ServerMain publishes such meters, the suite can run ServerMain itself.
 *
 * <p>Left out on purpose: ServerMain's queue subscriber, which no gRPC client can see.
 */
public final class InteropServerMain {

    /** Responses server streams handed to the transport (counted at the transport boundary). */
    static final String MESSAGES = "meshplay.interop.stream.messages";
    /** Server streams neither closed by the service nor cancelled by the transport. */
    static final String OPEN = "meshplay.interop.streams.open";
    /** onCancel calls beyond the first for one call: grpc-java's contract allows one. */
    static final String REPEATED_CANCELS = "meshplay.interop.repeated.cancels";
    /** ExampleService's own counters, which assume one onCancel per call. */
    static final String EXAMPLE_OPEN = "meshplay.interop.example.open.streams";

    private InteropServerMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        AppArgs cli = AppArgs.parse("interop-server", "the example server with stream gauges", Map.of(), ServerOptions.OPTIONS, args);
        Config config = MeshplayConfig.load("server", cli.overrides());
        ExampleService service = new ExampleService();
        StreamTracker tracker = new StreamTracker();
        gauge(MESSAGES, "Responses server streams handed to the transport", () -> (double) tracker.messages());
        gauge(OPEN, "Server streams neither closed nor cancelled", () -> (double) tracker.open());
        gauge(REPEATED_CANCELS, "onCancel calls beyond the first for one call", () -> (double) tracker.repeatedCancels());
        gauge(EXAMPLE_OPEN, "ExampleService.openStreams()", () -> (double) service.openStreams());
        BindableService tracked = () -> ServerInterceptors.intercept(service.bindService(), tracker);
        MeshplayServer.builder().config(config).addService(tracked).start().closeOnShutdown();
    }

    private static void gauge(String name, String description, Supplier<Double> value) {
        Metrics.getOrCreate(Gauge.builder(name, value).description(description));
    }
}
