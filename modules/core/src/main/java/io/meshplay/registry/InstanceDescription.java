package io.meshplay.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds the {@link ServiceInstance} a meshplay server registers: the one place that turns what a
 * server knows about itself into the tags and {@link InstanceMetadata} keys that registries, Prometheus
 * targets, Consul checks and the CLI read back.
 *
 * <p>Tags: {@code grpc}, {@code metrics}, {@code v<version>}, then the extra tags. Metadata: the extra
 * metadata, then {@code version}, {@code protocol}, {@code grpc_transport}, {@code metrics_path},
 * {@code metrics_port}, {@code health_path}, {@code grpc_methods}, {@code tls_mode}, which win over extra entries of the
 * same name because every reader relies on them.
 */
public final class InstanceDescription {

    private InstanceDescription() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String id;
        private String name;
        private String version = "";
        private String host;
        private int port;
        private int metricsPort;
        private String metricsPath = InstanceMetadata.DEFAULT_METRICS_PATH;
        private String healthPath = InstanceMetadata.DEFAULT_HEALTH_PATH;
        private String grpcTransport;
        private String tlsMode;
        private final TreeSet<String> grpcMethods = new TreeSet<>();
        private final List<String> tags = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {
        }

        /** Blank or unset: {@code <name>-<host>-<port>}. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder version(String version) {
            this.version = version == null ? "" : version;
            return this;
        }

        /** The address clients connect to. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port gRPC clients connect to. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The port of the HTTP observe endpoints; unset: the gRPC port. */
        public Builder metricsPort(int metricsPort) {
            this.metricsPort = metricsPort;
            return this;
        }

        public Builder metricsPath(String metricsPath) {
            this.metricsPath = metricsPath;
            return this;
        }

        public Builder healthPath(String healthPath) {
            this.healthPath = healthPath;
            return this;
        }

        /** {@code netty} or {@code helidon}. */
        public Builder grpcTransport(String grpcTransport) {
            this.grpcTransport = grpcTransport;
            return this;
        }

        /** The server's {@code tls.mode}; {@code off} or unset registers no {@link InstanceMetadata#TLS_MODE}. */
        public Builder tlsMode(String tlsMode) {
            this.tlsMode = tlsMode;
            return this;
        }

        /** Full method names ({@code pkg.Service/Method}); registered sorted, without duplicates. */
        public Builder grpcMethods(Collection<String> methods) {
            grpcMethods.addAll(methods);
            return this;
        }

        /** Added after the ones every instance has. */
        public Builder tags(Collection<String> tags) {
            this.tags.addAll(tags);
            return this;
        }

        /** Entries under a well-known key are replaced by the described value. */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata.putAll(metadata);
            return this;
        }

        public ServiceInstance build() {
            Map<String, String> meta = new LinkedHashMap<>(metadata);
            meta.put(InstanceMetadata.VERSION, version);
            meta.put(InstanceMetadata.PROTOCOL, InstanceMetadata.PROTOCOL_GRPC);
            if (grpcTransport != null) {
                meta.put(InstanceMetadata.GRPC_TRANSPORT, grpcTransport);
            }
            meta.put(InstanceMetadata.METRICS_PATH, metricsPath);
            meta.put(InstanceMetadata.METRICS_PORT, Integer.toString(metricsPort > 0 ? metricsPort : port));
            meta.put(InstanceMetadata.HEALTH_PATH, healthPath);
            meta.put(InstanceMetadata.GRPC_METHODS, String.join(",", grpcMethods));
            if (tlsMode != null && !tlsMode.isBlank() && !tlsMode.equalsIgnoreCase("off")) {
                meta.put(InstanceMetadata.TLS_MODE, tlsMode);
            }
            List<String> allTags = new ArrayList<>(List.of(InstanceMetadata.PROTOCOL_GRPC, InstanceMetadata.METRICS_TAG, "v" + version));
            allTags.addAll(tags);
            return ServiceInstance.builder().id(id).name(name).version(version).host(host).port(port)
                    .tags(allTags).metadata(meta).build();
        }
    }
}
