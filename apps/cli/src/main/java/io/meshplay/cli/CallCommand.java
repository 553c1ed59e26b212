package io.meshplay.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonElement;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshplay.grpcjson.call.DynamicCall;
import io.meshplay.grpcjson.reflection.MethodRef;
import io.meshplay.grpcjson.reflection.MethodResolver;
import io.meshplay.grpcjson.transcode.JsonInput;
import io.meshplay.grpcjson.transcode.JsonOutput;
import io.meshplay.client.ClientOptions;
import io.meshplay.client.MeshplayClient;
import io.meshplay.client.SecureChannels;
import io.meshplay.config.Durations;
import io.meshplay.registry.InstanceHealth;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meshplay call <service> <Service/Method> '<json>'}: resolves the service through the registry
 * (the same meshplay:/// channel apps use), learns the method from the server's reflection, and prints
 * each response as JSON.
 */
@Command(name = "call", description = {"Call a method of a service found through the registry; the method's types come "
        + "from the server's gRPC reflection.",
        "Without server reflection (or with a broken one) the example contract is used; --descriptor gives others.",
        "Unary and server-streaming methods take the request as an argument; client- and bidi-streaming ones "
                + "read one JSON request per line from stdin (or take the argument as their only request).",
        "Each response is printed as JSON (--output json: one compact object per line)."})
final class CallCommand extends CliCommand {

    private static final Duration DEFAULT_REFLECTION_TIMEOUT = Duration.ofSeconds(10);

    @Parameters(index = "0", paramLabel = "<service>", description = "The service name in the registry, e.g. example.")
    String service;

    @Parameters(index = "1", paramLabel = "<Service/Method>", description = "e.g. Example/Call or Example.Call.")
    String method;

    @Parameters(index = "2", arity = "0..1", paramLabel = "<json>",
            description = "The request, e.g. '{\"name\":\"John\"}' (default {}); '-' reads it from stdin.")
    String json;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "30s", converter = DurationConverter.class,
            description = "Deadline of the whole call, e.g. 500ms, 5s, 1m (default ${DEFAULT-VALUE}; 0 for none).")
    Duration timeout;

    @Option(names = "--descriptor", paramLabel = "<file.protoset>",
            description = "Take the method's types from this descriptor set (protoc --descriptor_set_out --include_imports) "
                    + "instead of the server's reflection.")
    Path descriptor;

    @Option(names = "--instance", paramLabel = "<id>",
            description = "Call this instance (by registry id) at its address instead of letting the load balancer choose.")
    String instanceId;

    @Override
    protected int run(Session session) throws Exception {
        Names.service(service);
        MethodRef ref = MethodRef.parse(method);
        if (json != null && !"-".equals(json)) {
            JsonInput.checkSyntax(json, "the request");
        }
        AttributesBuilder attributes = Attributes.builder().put("meshplay.service", service).put("meshplay.method", ref.toString());
        if (instanceId != null) {
            attributes.put("meshplay.instance", instanceId);
        }
        // one trace per call, reflection included: the channel's interceptor puts each RPC under this span
        return session.traced("meshplay call " + service + " " + ref, attributes.build(), () -> call(session, ref));
    }

    private int call(Session session, MethodRef ref) throws IOException, InterruptedException {
        MeshplayClient client = null;
        ManagedChannel direct = null;
        try {
            Channel channel;
            if (instanceId != null) {
                InstanceHealth instance = Lookup.instance(session.inspection(), service, instanceId);
                NettyChannelBuilder builder = SecureChannels.configure(
                        NettyChannelBuilder.forAddress(instance.instance().host(), instance.instance().port()),
                        session.transportSecurity(), service);
                session.tracing().clientInterceptor().ifPresent(builder::intercept);
                direct = builder.build();
                channel = direct;
            } else {
                Lookup.requireService(session.registry(), service);
                if (session.registry().instances(service).isEmpty()) {
                    throw CliException.failed("service '" + service + "' has no healthy instance in registry '"
                            + session.registry().type() + "' (see: meshplay describe " + service + ")");
                }
                client = MeshplayClient.create(session.registry(), ClientOptions.from(session.config().get("client")),
                        session.transportSecurity()).tracing(session.tracing());
                channel = client.channel(service);
            }
            MethodResolver.Resolved resolved = new MethodResolver(channel, timeout.isZero() ? DEFAULT_REFLECTION_TIMEOUT : timeout,
                    "'" + service + "'", Optional.of(new MethodResolver.Fallback(BuiltInTypes.builtIn(), "--descriptor")),
                    warning -> session.err().println("meshplay: warning: " + warning)).resolve(ref, descriptor);
            MethodDescriptor target = resolved.method();
            if (session.verbose()) {
                session.err().println("meshplay: " + target.getFullName() + " (" + DynamicCall.kind(target) + ") from "
                        + resolved.source());
            }
            Iterator<DynamicMessage> requests = requests(session, target);
            DynamicCall call = new DynamicCall(channel, timeout);
            long responses = call.run(target, requests, response -> {
                JsonElement body = JsonOutput.of(response);
                session.output().event(body, Output.pretty(body));
            });
            if (session.verbose()) {
                session.err().println("meshplay: " + responses + " response(s) from " + call.servedBy());
            }
            return ExitCodes.OK;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw CliException.failed("call " + ref + " on '" + service + "' did not finish within "
                        + Durations.format(timeout) + " (--timeout)", e);
            }
            throw CliException.failed("call " + ref + " on '" + service + "' failed: " + ErrorHandler.message(e)
                    .replaceFirst("^call failed: ", ""), e);
        } finally {
            if (direct != null) {
                direct.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
            }
            if (client != null) {
                client.close();
            }
        }
    }

    private Iterator<DynamicMessage> requests(Session session, MethodDescriptor target) throws IOException {
        if (DynamicCall.streamsRequests(target) && (json == null || "-".equals(json))) {
            return new StdinRequests(session.in(), target.getInputType());
        }
        String text = "-".equals(json) ? new String(session.in().readAllBytes(), StandardCharsets.UTF_8) : json;
        return List.of(JsonInput.parse(text, target.getInputType(), "-".equals(json) ? "the request on stdin" : "the request"))
                .iterator();
    }
}
