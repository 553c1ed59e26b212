package io.meshplay.apps.gateway;

import java.time.Duration;

import io.helidon.config.Config;
import io.meshplay.config.Option;
import io.meshplay.config.Options;

/**
 * The {@code gateway.*} keys. The HTTP port is the WebServer's {@code server.port}, as for every app.
 *
 * @param maxBodySize       largest request body of a unary or server-streaming call, and largest line of a
 *                          request stream, in bytes
 * @param timeout           deadline of unary and client-streaming calls without a {@code Grpc-Timeout} header
 * @param streamKeepAlive   an idle response stream gets a blank line (NDJSON) or a comment (SSE) this often,
 *                          which is also when a client that left is noticed
 * @param reflectionTimeout how long one reflection request may take
 * @param reflectionTtl     how long the types learned from an instance version are kept
 */
record GatewayOptions(int maxBodySize, Duration timeout, Duration streamKeepAlive, Duration reflectionTimeout,
                      Duration reflectionTtl) {

    static final Option<Integer> MAX_BODY_SIZE = Option.integer("max-body-size",
                    "largest request body in bytes (a request stream: largest line); a larger one is answered 413")
            .range(1024, 1024 * 1024 * 1024, "a size in bytes from 1024 to 1073741824 (1 GiB)")
            .defaultValue(4 * 1024 * 1024);
    static final Option<Duration> TIMEOUT = Option.duration("timeout",
                    "deadline of unary and client-streaming calls without a Grpc-Timeout header")
            .range(Duration.ofMillis(1), Duration.ofHours(1)).defaultValue(Duration.ofSeconds(30));
    static final Option<Duration> STREAM_KEEP_ALIVE = Option.duration("stream-keep-alive",
                    "an idle response stream gets a blank line (NDJSON) or an SSE comment this often")
            .range(Duration.ofMillis(10), Duration.ofMinutes(10)).defaultValue(Duration.ofSeconds(15));
    static final Option<Duration> REFLECTION_TIMEOUT = Option.duration("reflection-timeout",
                    "how long one gRPC reflection request to an instance may take")
            .range(Duration.ofMillis(10), Duration.ofMinutes(5)).defaultValue(Duration.ofSeconds(5));
    static final Option<Duration> REFLECTION_TTL = Option.duration("reflection-ttl",
                    "how long the types learned from one service version are kept")
            .range(Duration.ofMillis(1), Duration.ofDays(1)).defaultValue(Duration.ofMinutes(10));

    static final Options OPTIONS = Options.of(MAX_BODY_SIZE, TIMEOUT, STREAM_KEEP_ALIVE, REFLECTION_TIMEOUT, REFLECTION_TTL)
            .under("gateway");

    /** @param node the {@code gateway} node */
    static GatewayOptions from(Config node) {
        return new GatewayOptions(MAX_BODY_SIZE.get(node), TIMEOUT.get(node), STREAM_KEEP_ALIVE.get(node),
                REFLECTION_TIMEOUT.get(node), REFLECTION_TTL.get(node));
    }
}
