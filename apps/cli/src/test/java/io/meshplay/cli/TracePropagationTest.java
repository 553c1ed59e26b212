package io.meshplay.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.meshplay.broker.Message;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.broker.memory.MemoryBroker;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.service.ExampleService;
import io.meshplay.server.MeshplayServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * call and publish start a trace and send its context on ({@code traceparent} in gRPC metadata and in
 * message headers) whether or not spans are exported; {@code --verbose} prints its id on stderr. Memory
 * registry and broker, and a server in this JVM that records the {@code traceparent} it is sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracePropagationTest {

    private static final Map<String, String> SETTINGS = Map.of("registry.type", "memory", "broker.type", "memory");
    private static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    private static final Pattern TRACE_LINE = Pattern.compile("(?m)^meshplay: trace ([0-9a-f]{32})$");
    private static final AtomicInteger QUEUES = new AtomicInteger();

    /** Full method name and the traceparent it came with ("none" without one), in arrival order. */
    private final List<Map.Entry<String, String>> seen = new CopyOnWriteArrayList<>();
    private final Cli cli = new Cli(SETTINGS);
    private MeshplayServer server;
    private MemoryBroker broker;

    @BeforeAll
    void start() {
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String traceparent = headers.get(TRACEPARENT);
                seen.add(Map.entry(call.getMethodDescriptor().getFullMethodName(), traceparent == null ? "none" : traceparent));
                return next.startCall(call, headers);
            }
        };
        Map<String, String> config = new HashMap<>(SETTINGS);
        config.put("service.name", "traced");
        config.put("service.shutdown-timeout", "1s");
        server = MeshplayServer.builder().config(MeshplayConfig.of(config))
                .addService(() -> ServerInterceptors.intercept(new ExampleService(), recorder))
                .start();
        // the test's handle on the JVM-wide memory broker the CLI publishes to, playing an app's subscriber
        broker = MemoryBroker.shared("default", 3, Duration.ofMillis(100));
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void forget() {
        seen.clear();
    }

    @Test
    void verboseCallPrintsTheTraceIdTheServerWasSent() {
        Cli.Result r = cli.run("call", "traced", "Example/Call", "{\"name\":\"Trace\"}", "-o", "json", "--verbose");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines().get(0).get("msg").getAsString()).isEqualTo("Hello Trace");
        String traceId = traceId(r);
        assertThat(traceparents("Example/Call")).singleElement().satisfies(tp -> assertThat(tp).matches(sentIn(traceId)));
    }

    @Test
    void verboseCallToOneInstanceIsTracedToo() {
        Cli.Result r = cli.run("call", "traced", "Example/Call", "{}", "--instance", server.instance().id(), "-o", "json", "-v");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(traceparents("Example/Call")).singleElement().satisfies(tp -> assertThat(tp).matches(sentIn(traceId(r))));
    }

    @Test
    void withoutVerboseTheCallPrintsNothingNewButStillPropagates() {
        Cli.Result quiet = cli.run("call", "traced", "Example/Call", "{\"name\":\"Quiet\"}");
        Cli.Result verbose = cli.run("call", "traced", "Example/Call", "{\"name\":\"Quiet\"}", "--verbose");

        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.out()).isEqualTo("{" + System.lineSeparator() + "  \"msg\": \"Hello Quiet\"" + System.lineSeparator()
                + "}" + System.lineSeparator()).isEqualTo(verbose.out());
        assertThat(quiet.err()).isEmpty();
        assertThat(verbose.exitCode()).as(verbose.toString()).isZero();
        List<String> sent = traceparents("Example/Call");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).as("propagated without --verbose too").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                .doesNotMatch(sentIn(traceId(verbose)));
        assertThat(sent.get(1)).matches(sentIn(traceId(verbose)));
    }

    @Test
    void verbosePublishPrintsTheTraceIdTheMessageCarries() throws InterruptedException {
        String queue = queue();
        Cli.Result r = cli.run("publish", queue, "{\"say\":\"traced\"}", "--type", "Message", "-o", "json", "--verbose");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Message got = receive(queue, 1).get(0);
        assertThat(got.headers().get("traceparent")).matches(sentIn(traceId(r)));
        assertThat(got.header(Message.MESSAGE_ID)).isEqualTo(r.object().get("message-id").getAsString());
    }

    @Test
    void withoutVerbosePublishPrintsNothingNewButStillPropagates() throws InterruptedException {
        String queue = queue();
        Cli.Result quiet = cli.run("publish", queue, "{\"say\":\"q\"}", "--type", "Message", "-o", "json");
        Cli.Result verbose = cli.run("publish", queue, "{\"say\":\"q\"}", "--type", "Message", "-o", "json", "--verbose");

        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.err()).isEmpty();
        JsonObject quietRecord = quiet.object();
        JsonObject verboseRecord = verbose.object();
        assertThat(quietRecord.keySet()).containsExactly("topic", "message-id", "type", "content-type", "bytes", "broker");
        quietRecord.remove("message-id");
        verboseRecord.remove("message-id");
        assertThat(quietRecord).isEqualTo(verboseRecord);
        assertThat(verbose.err().lines().toList()).singleElement().satisfies(l -> assertThat(l).matches(TRACE_LINE));
        assertThat(receive(queue, 2)).extracting(m -> m.headers().get("traceparent"))
                .allSatisfy(tp -> assertThat(tp).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"))
                .anySatisfy(tp -> assertThat(tp).matches(sentIn(traceId(verbose))))
                .anySatisfy(tp -> assertThat(tp).doesNotMatch(sentIn(traceId(verbose))));
    }

    /** The one trace line on stderr, and its id. */
    private static String traceId(Cli.Result r) {
        Matcher m = TRACE_LINE.matcher(r.err());
        assertThat(m.find()).as("a trace line in\n" + r).isTrue();
        String id = m.group(1);
        assertThat(m.find()).as("one trace line in\n" + r).isFalse();
        assertThat(id).isNotEqualTo("0".repeat(32));
        return id;
    }

    /** A W3C traceparent of that trace, sampled. */
    private static String sentIn(String traceId) {
        return "00-" + traceId + "-[0-9a-f]{16}-01";
    }

    private List<String> traceparents(String method) {
        return seen.stream().filter(e -> e.getKey().equals(method)).map(Map.Entry::getValue).toList();
    }

    private static String queue() {
        return "traced-" + QUEUES.incrementAndGet();
    }

    /** Takes {@code count} messages off the queue, as an app's subscriber would; fails after 5 s. */
    private List<Message> receive(String queue, int count) throws InterruptedException {
        LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try (Subscription ignored = broker.subscribe(queue, event -> received.add(event.message()), new SubscribeOptions(1, "trace-test"))) {
            while (messages.size() < count) {
                Message message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(message).as(count + " message(s) on " + queue + " within 5 s; got " + messages).isNotNull();
                messages.add(message);
            }
        }
        return messages;
    }
}
