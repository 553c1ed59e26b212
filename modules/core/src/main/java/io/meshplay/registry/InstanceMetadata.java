package io.meshplay.registry;

/**
 * The instance vocabulary every part of meshplay agrees on: the metadata keys and tags the server
 * runtime registers (built by {@link InstanceDescription}), and what registries, scrapers and the CLI
 * read back.
 */
public final class InstanceMetadata {

    public static final String VERSION = "version";
    /** {@code grpc}: how clients talk to the registered port. */
    public static final String PROTOCOL = "protocol";
    /** The {@link #PROTOCOL} of meshplay servers, also their first tag. */
    public static final String PROTOCOL_GRPC = "grpc";
    /** Path of the Prometheus endpoint on {@link #METRICS_PORT}. */
    public static final String METRICS_PATH = "metrics_path";
    /**
     * Port of the HTTP observe endpoints (metrics, health) when it is not the registered gRPC port; an
     * instance without it serves them on its registered port.
     */
    public static final String METRICS_PORT = "metrics_port";
    /** Path of the readiness endpoint on {@link #METRICS_PORT}. */
    public static final String HEALTH_PATH = "health_path";
    /** Comma-separated full gRPC method names the instance serves. */
    public static final String GRPC_METHODS = "grpc_methods";
    /** Which gRPC server transport serves the instance ({@code netty} or {@code helidon}). */
    public static final String GRPC_TRANSPORT = "grpc_transport";
    /**
     * The server's {@code tls.mode} when it is not {@code off} ({@code files}, {@code connect}): its gRPC port
     * then speaks TLS only, so health checks and scrapers use the plaintext observe port ({@link #METRICS_PORT}),
     * and Consul registers a {@code connect} instance as Connect-native.
     */
    public static final String TLS_MODE = "tls_mode";
    /** The {@link #TLS_MODE} of a Consul Connect-native server. */
    public static final String TLS_MODE_CONNECT = "connect";

    /** Instances with this tag are scraped by Prometheus. */
    public static final String METRICS_TAG = "metrics";
    public static final String DEFAULT_METRICS_PATH = "/observe/metrics";
    public static final String DEFAULT_HEALTH_PATH = "/observe/health/ready";
    /** gRPC response header naming the instance id that served a call. */
    public static final String SERVED_BY_HEADER = "meshplay-instance";

    private InstanceMetadata() {
    }

    /** The port of the instance's observe endpoints: {@link #METRICS_PORT} if valid, else its registered port. */
    public static int metricsPort(ServiceInstance instance) {
        String value = instance.metadata().get(METRICS_PORT);
        if (value != null) {
            try {
                int port = Integer.parseInt(value.trim());
                if (port > 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // a foreign registration with a bad value: its registered port is the best guess
            }
        }
        return instance.port();
    }

    /** {@code host:metricsPort}, bracketing IPv6 literals. */
    public static String metricsAddress(ServiceInstance instance) {
        String host = instance.host();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + metricsPort(instance);
    }

    /** Whether the instance's gRPC port speaks TLS only ({@link #TLS_MODE} set and not {@code off}). */
    public static boolean tlsOnly(ServiceInstance instance) {
        String mode = get(instance, TLS_MODE, "off");
        return !mode.equalsIgnoreCase("off");
    }

    /** The metadata value, or {@code fallback} when missing or blank. */
    public static String get(ServiceInstance instance, String key, String fallback) {
        String value = instance.metadata().get(key);
        return value == null || value.isBlank() ? fallback : value;
    }
}
