package io.meshplay.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One running instance of a service, as a registry knows it.
 *
 * @param id       unique per instance; defaults to {@code <name>-<host>-<port>}
 * @param name     the service name clients resolve, e.g. {@code example}
 * @param version  the service version, e.g. {@code 1.0.0}
 * @param host     address clients connect to
 * @param port     port clients connect to
 * @param tags     free-form tags (Consul tags)
 * @param metadata key/value metadata (Consul service meta)
 */
public record ServiceInstance(String id,
                              String name,
                              String version,
                              String host,
                              int port,
                              List<String> tags,
                              Map<String, String> metadata) {

    public ServiceInstance {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (name.isBlank()) {
            throw new IllegalArgumentException("service name must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of " + name + " must be 1..65535, was " + port);
        }
        version = version == null ? "" : version;
        id = id == null || id.isBlank() ? defaultId(name, host, port) : id;
        tags = tags == null ? List.of() : List.copyOf(tags);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static String defaultId(String name, String host, int port) {
        return name + "-" + host + "-" + port;
    }

    /** {@code host:port}, bracketing IPv6 literals. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String id;
        private String name;
        private String version;
        private String host = "127.0.0.1";
        private int port;
        private List<String> tags = List.of();
        private Map<String, String> metadata = Map.of();

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder tags(List<String> tags) {
            this.tags = tags;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        public ServiceInstance build() {
            return new ServiceInstance(id, name, version, host, port, tags, metadata);
        }
    }
}
