package io.meshplay.apps.server.badinput;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.Request;
import io.meshplay.example.service.ExampleService;
import io.meshplay.registry.memory.MemoryRegistry;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import io.meshplay.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The gRPC part of the bad-input catalogue (docs/bad-input/grpc.md): every bad call gets a status at once,
 * is counted, and leaves at most a few log lines without its bytes. Run once per transport by the subclasses;
 * {@link #observed} records what each transport answered where the two legitimately differ.
 */
abstract class GrpcBadInputCases {

    static final int LIMIT = 4 * 1024 * 1024;
    static final String MARKER = "BAD-INPUT-MARKER-7f3a";
    static final String CALL = "Example/Call";

    abstract String transport();

    /**
     * Whether every cancelled stream is over on the server within 30 s. Not on helidon: Helidon 4.4.0 does not
     * always deliver a client's reset to a call whose writer waits for flow-control credit (the interop suite's
     * HELIDON_BLOCKED_RESET), so such calls stay in flight; tolerated there only, and reported.
     */
    boolean cancelledStreamsEndPromptly() {
        return true;
    }

    private static LogCapture log;
    private final MemoryRegistry registry = new MemoryRegistry();
    @RegisterExtension
    final Closer closer = new Closer();
    private MeshplayServer server;
    private ManagedChannel channel;

    @BeforeAll
    static void captureLog() {
        log = LogCapture.withDefaultLevels();
    }

    @AfterAll
    static void releaseLog() {
        log.close();
    }

    @BeforeEach
    void start() {
        server = server(Map.of());
        channel = channel(server);
        log.clear();
    }

    MeshplayServer server(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of("service.name", "example", "grpc.transport", transport(),
                "grpc.port", String.valueOf(Ports.free()), "server.port", String.valueOf(Ports.free()),
                "service.shutdown-timeout", "10s"));
        config.putAll(extra);
        return closer.add(MeshplayServer.builder().config(MeshplayConfig.of(config)).registry(registry)
                .addService(new ExampleService()).start());
    }

    ManagedChannel channel(MeshplayServer s) {
        ManagedChannel c = ManagedChannelBuilder.forAddress("127.0.0.1", s.port()).usePlaintext()
                .maxInboundMessageSize(4 * LIMIT).build();
        closer.add(() -> {
            c.shutdownNow();
            c.awaitTermination(5, TimeUnit.SECONDS);
        });
        return c;
    }

    static byte[] name(int length) {
        StringBuilder name = new StringBuilder(length).append(MARKER);
        while (name.length() < length) {
            name.append('x');
        }
        return Request.newBuilder().setName(name.substring(0, length)).build().toByteArray();
    }

    static double rejected(String reason) {
        return Metrics.globalRegistry().counter(io.meshplay.server.MeshplayServer.REJECTED_METER,
                        List.of(Tag.create("reason", reason), Tag.create("grpc.method", CALL)))
                .map(Counter::count).orElse(0L);
    }

    /** No line carries the request (its marker, as text or hex), and there are fewer than {@code max}. */
    static void assertQuietLog(int max) {
        String hex = HexFormat.of().formatHex(MARKER.getBytes(StandardCharsets.US_ASCII));
        String spacedHex = HexFormat.ofDelimiter(" ").formatHex(MARKER.getBytes(StandardCharsets.US_ASCII), 0, 8);
        assertThat(log.lines()).hasSizeLessThan(max)
                .noneMatch(l -> l.contains(MARKER) || l.toLowerCase().contains(hex) || l.toLowerCase().contains(spacedHex));
    }

    /** What a transport answered, for the report (build log); the assertions say what is required. */
    void observed(String id, Object what) {
        System.out.println("[bad-input " + transport() + "] " + id + ": " + what);
    }

    @Test
    @DisplayName("G-1 unknown service: UNIMPLEMENTED")
    void unknownService() {
        RawGrpc.Outcome out = RawGrpc.call(channel, "NoSuchService/Call", name(10));
        observed("G-1", out.status());
        assertThat(out.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    @DisplayName("G-2 unknown method of a served service: UNIMPLEMENTED")
    void unknownMethod() {
        RawGrpc.Outcome out = RawGrpc.call(channel, "Example/NoSuchMethod", name(10));
        observed("G-2", out.status());
        assertThat(out.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    @DisplayName("G-3 10 MB request: RESOURCE_EXHAUSTED naming the limit, at once, counted, log quiet")
    void oversized() {
        double before = rejected("oversized");
        for (int size : new int[] {LIMIT + 1024, 10 * 1024 * 1024}) {
            RawGrpc.Outcome out = RawGrpc.call(channel, CALL, name(size));
            observed("G-3 " + size + " bytes", out);
            assertThat(out.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(out.status().getDescription()).contains(String.valueOf(LIMIT));
            assertThat(out.millis()).isLessThan(10_000);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> rejected("oversized") >= before + 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.callsInFlight() == 0);
        assertQuietLog(10);
    }

    @Test
    @DisplayName("G-3b request just under the limit, and 2.1 MB (over Helidon's own default): served")
    void atTheLimit() {
        for (int size : new int[] {2_200_000, LIMIT - 16}) {
            RawGrpc.Outcome out = RawGrpc.call(channel, CALL, name(size));
            observed("G-3b " + size + " bytes", out.status());
            assertThat(out.code()).isEqualTo(Status.Code.OK);
        }
    }

    @Test
    @DisplayName("G-3c grpc.max-inbound-message-size=65536: a 100 kB request gets RESOURCE_EXHAUSTED naming 65536")
    void configuredLimit() {
        ManagedChannel small = channel(server(Map.of("grpc.max-inbound-message-size", "65536")));
        assertThat(RawGrpc.call(small, CALL, name(60_000)).code()).isEqualTo(Status.Code.OK);
        RawGrpc.Outcome out = RawGrpc.call(small, CALL, name(100_000));
        observed("G-3c", out.status());
        assertThat(out.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(out.status().getDescription()).contains("65536");
    }

    @Test
    @DisplayName("G-3d grpc.max-inbound-message-size=12: the server does not start, the error names the key")
    void badLimit() {
        assertThatThrownBy(() -> server(Map.of("grpc.max-inbound-message-size", "12")))
                .hasMessageContaining("grpc.max-inbound-message-size").hasMessageContaining("1024");
    }

    @Test
    @DisplayName("G-4 invalid UTF-8 in a string field (0a04fffe80c0): INVALID_ARGUMENT at once, counted, log quiet")
    void invalidProtobuf() {
        double before = rejected("unparseable");
        RawGrpc.Outcome out = RawGrpc.call(channel, CALL, HexFormat.of().parseHex("0a04fffe80c0"));
        observed("G-4", out);
        assertThat(out.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(out.millis()).isLessThan(10_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> rejected("unparseable") >= before + 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.callsInFlight() == 0);
        assertQuietLog(10);
    }

    @Test
    @DisplayName("G-4b garbage bytes (ffffffffffffffff + marker): INVALID_ARGUMENT at once, log without the bytes")
    void garbage() {
        byte[] garbage = new byte[8 + MARKER.length()];
        java.util.Arrays.fill(garbage, 0, 8, (byte) 0xff);
        System.arraycopy(MARKER.getBytes(StandardCharsets.US_ASCII), 0, garbage, 8, MARKER.length());
        RawGrpc.Outcome plain = RawGrpc.call(channel, CALL, HexFormat.of().parseHex("ffffffffffffffff"));
        RawGrpc.Outcome marked = RawGrpc.call(channel, CALL, garbage);
        observed("G-4b", plain.status());
        assertThat(plain.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(marked.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertQuietLog(10);
    }

    @Test
    @DisplayName("G-4c garbage as the second message of a PingPong stream: INVALID_ARGUMENT, stream ended")
    void garbageMidStream() {
        var pingPong = RawGrpc.method("Example/PingPong", MethodType.BIDI_STREAMING);
        RawGrpc.Outcome out = RawGrpc.call(channel, pingPong, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                new Metadata(), List.of(HexFormat.of().parseHex("0801"), HexFormat.of().parseHex("ffffffffffffffff")));
        observed("G-4c", out.status());
        assertThat(out.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.callsInFlight() == 0);
    }

    @Test
    @DisplayName("G-5 deadline that expires at once: DEADLINE_EXCEEDED, nothing left in flight")
    void expiredDeadline() {
        RawGrpc.Outcome out = RawGrpc.call(channel, RawGrpc.unary(CALL), CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.NANOSECONDS),
                new Metadata(), List.of(name(10)));
        assertThat(out.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(RawGrpc.call(channel, CALL, name(10)).code()).isEqualTo(Status.Code.OK);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.callsInFlight() == 0);
    }

    @Test
    @DisplayName("G-6 2,000 Stream calls cancelled by the client: no WARNING/SEVERE, fewer than 10 lines, none in flight")
    void cancelledStreams() throws Exception {
        CancelledStreams.Outcome outcome = CancelledStreams.run(channel, 2_000);
        if (cancelledStreamsEndPromptly()) {
            assertThat(outcome).as("streams stalled or never closed").isEqualTo(new CancelledStreams.Outcome(0, 0));
            await().atMost(Duration.ofSeconds(30)).until(() -> server.callsInFlight() == 0);
        } else {
            observed("G-6 streams stalled / never closed (known upstream defect)", outcome);
            observed("G-6 calls still in flight (known upstream defect)", server.callsInFlight());
        }
        observed("G-6 log lines", log.lines().size());
        assertThat(log.atLeast(Level.WARNING)).as("%s", log.lines()).isZero();
        assertQuietLog(10);
    }

    @Test
    @DisplayName("G-7 a 64 kB metadata value: a status at once, and the server serves the next call")
    void oversizedMetadata() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-big", Metadata.ASCII_STRING_MARSHALLER), MARKER + "y".repeat(64 * 1024));
        RawGrpc.Outcome out = RawGrpc.call(channel, RawGrpc.unary(CALL), CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                headers, List.of(name(10)));
        observed("G-7", out);
        assertThat(out.code()).isNotEqualTo(Status.Code.OK).isNotEqualTo(Status.Code.DEADLINE_EXCEEDED);
        ManagedChannel fresh = channel(server);
        assertThat(RawGrpc.call(fresh, CALL, name(10)).code()).isEqualTo(Status.Code.OK);
        assertQuietLog(10);
    }

    @Test
    @DisplayName("G-8 500 bad calls at once: every one answered, then the server closes within a few seconds")
    void manyBadCallsThenShutdown() throws Exception {
        List<CompletableFuture<Status>> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] request = i % 50 == 0 ? name(LIMIT + 1024) : HexFormat.of().parseHex(i % 2 == 0 ? "0a04fffe80c0" : "ffffffffffffffff");
            calls.add(RawGrpc.start(channel, RawGrpc.unary(CALL), CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                    new Metadata(), List.of(request)));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(calls).allSatisfy(c -> assertThat(c.join().getCode())
                .isIn(Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED));
        long start = System.nanoTime();
        server.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        observed("G-8 close after 500 bad calls, ms", millis);
        // a bound with CI margin, well under service.shutdown-timeout (10 s), which a leaked call would wait out
        assertThat(millis).isLessThan(6_000);
        assertQuietLog(20);
    }

    @Test
    @DisplayName("G-9 grpc-encoding: foo (unknown compression): UNIMPLEMENTED at once")
    void unknownEncoding() {
        RawGrpc.Outcome out = FooCompression.call(server.port(), CALL, name(100));
        observed("G-9", out.status());
        assertThat(out.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(out.millis()).isLessThan(10_000);
        assertQuietLog(10);
    }

    @Test
    @DisplayName("G-10 unary call with two request messages: a status at once, not OK")
    void twoRequestsToUnary() {
        RawGrpc.Outcome out = RawGrpc.call(channel, RawGrpc.unary(CALL), CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                new Metadata(), List.of(name(10), name(10)));
        observed("G-10", out.status());
        assertThat(out.code()).isNotEqualTo(Status.Code.OK).isNotEqualTo(Status.Code.DEADLINE_EXCEEDED);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.callsInFlight() == 0);
    }

    @Test
    @DisplayName("G-11 unary call with no request message: a status at once, not OK")
    void noRequestToUnary() {
        RawGrpc.Outcome out = RawGrpc.call(channel, RawGrpc.unary(CALL), CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                new Metadata(), List.of());
        observed("G-11", out.status());
        assertThat(out.code()).isNotEqualTo(Status.Code.OK).isNotEqualTo(Status.Code.DEADLINE_EXCEEDED);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.callsInFlight() == 0);
    }
}
