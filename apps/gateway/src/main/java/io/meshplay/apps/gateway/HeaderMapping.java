package io.meshplay.apps.gateway;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grpc.Metadata;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.http.ServerResponse;

/**
 * Which HTTP headers become gRPC metadata and back (README "Gateway"), the way grpc-gateway does it:
 * <ul>
 *   <li>{@code Grpc-Metadata-<key>: v} → metadata {@code <key>} (a {@code -bin} key's value is base64);</li>
 *   <li>{@code Authorization}, {@code X-Request-Id} → {@code authorization}, {@code x-request-id};</li>
 *   <li>{@code X-Forwarded-For}: the caller's address is appended;</li>
 *   <li>{@code Grpc-Timeout} (gRPC's format, {@code 500m}, {@code 5S}) → the call's deadline;</li>
 *   <li>{@code traceparent}/{@code tracestate} → the parent of the gateway's span (the call carries its own).</li>
 * </ul>
 * Back: response headers → {@code Grpc-Metadata-<key>}, trailers → {@code Grpc-Trailer-<key>} (unary calls).
 */
final class HeaderMapping {

    static final String METADATA_PREFIX = "grpc-metadata-";
    static final String METADATA_PREFIX_HEADER = "Grpc-Metadata-";
    static final String TRAILER_PREFIX = "Grpc-Trailer-";
    private static final Set<String> PASSED = Set.of("authorization", "x-request-id");
    /** gRPC's own headers: not user metadata, never copied either way. */
    private static final Set<String> RESERVED = Set.of("content-type", "te", "user-agent", "grpc-status", "grpc-message",
            "grpc-status-details-bin", "grpc-encoding", "grpc-accept-encoding", "grpc-timeout", "traceparent", "tracestate");
    private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,8})([HMSmun])");

    private HeaderMapping() {
    }

    /** The metadata a call carries for this request; a header that cannot be metadata is a 400 naming it. */
    static Metadata toMetadata(ServerRequestHeaders headers, String remoteAddress) {
        Metadata metadata = new Metadata();
        String forwarded = null;
        for (Header header : headers) {
            String name = header.name().toLowerCase(Locale.ROOT);
            String key;
            if (name.startsWith(METADATA_PREFIX)) {
                key = name.substring(METADATA_PREFIX.length());
            } else if (PASSED.contains(name)) {
                key = name;
            } else {
                if (name.equals("x-forwarded-for")) {
                    forwarded = header.values();
                }
                continue;
            }
            if (key.isEmpty() || key.startsWith("grpc-") || RESERVED.contains(key) || key.startsWith(":")) {
                throw GatewayError.badRequest("header '" + header.name() + "' cannot be sent as gRPC metadata ('" + key
                        + "' is reserved by gRPC)");
            }
            try {
                for (String value : header.allValues()) {
                    if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                        metadata.put(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER), Base64.getDecoder().decode(value.strip()));
                    } else {
                        metadata.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw GatewayError.badRequest("header '" + header.name() + "' cannot be sent as gRPC metadata: "
                        + (key.endsWith(Metadata.BINARY_HEADER_SUFFIX) ? "a -bin value must be base64" : e.getMessage()));
            }
        }
        String chain = forwarded == null || forwarded.isBlank() ? remoteAddress : forwarded + ", " + remoteAddress;
        metadata.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), chain);
        return metadata;
    }

    /** The {@code Grpc-Timeout} header in nanoseconds, if there is one; a malformed one is a 400. */
    static Optional<Long> timeoutNanos(ServerRequestHeaders headers) {
        Optional<String> value = headers.first(HeaderNames.create("Grpc-Timeout"));
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = TIMEOUT.matcher(value.get().strip());
        if (!m.matches()) {
            throw GatewayError.badRequest("header Grpc-Timeout is '" + value.get() + "'; expected up to 8 digits and a unit "
                    + "H, M, S, m (ms), u (µs) or n (ns), e.g. 500m or 5S");
        }
        long amount = Long.parseLong(m.group(1));
        TimeUnit unit = switch (m.group(2)) {
            case "H" -> TimeUnit.HOURS;
            case "M" -> TimeUnit.MINUTES;
            case "S" -> TimeUnit.SECONDS;
            case "m" -> TimeUnit.MILLISECONDS;
            case "u" -> TimeUnit.MICROSECONDS;
            default -> TimeUnit.NANOSECONDS;
        };
        return Optional.of(unit.toNanos(amount));
    }

    /** Response headers of the call as {@code Grpc-Metadata-*} (or trailers as {@code Grpc-Trailer-*}). */
    static void copy(Metadata metadata, String prefix, ServerResponse response) {
        if (metadata == null) {
            return;
        }
        for (String key : metadata.keys()) {
            if (RESERVED.contains(key) || key.startsWith("grpc-")) {
                continue;
            }
            java.util.List<String> values = new java.util.ArrayList<>();
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                Iterable<byte[]> all = metadata.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER));
                if (all != null) {
                    all.forEach(v -> values.add(Base64.getEncoder().encodeToString(v)));
                }
            } else {
                Iterable<String> all = metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
                if (all != null) {
                    all.forEach(values::add);
                }
            }
            if (!values.isEmpty()) {
                response.header(HeaderNames.create(prefix + key), values.toArray(String[]::new)); // sets, so all at once
            }
        }
    }
}
