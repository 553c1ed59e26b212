package io.meshplay.registry.consul;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.meshplay.registry.HealthStatus;
import io.meshplay.registry.InstanceCheck;
import io.meshplay.registry.InstanceHealth;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.ServiceInstance;
import org.kiwiproject.consul.model.agent.ImmutableRegCheck;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;
import org.kiwiproject.consul.model.agent.Registration;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.model.health.Service;
import org.kiwiproject.consul.model.health.ServiceHealth;

/**
 * {@link ServiceInstance} to a Consul agent registration and back (with its checks, for inspection).
 *
 * <p>Consul rejects a registration whose meta breaks its limits (64 keys, keys of at most 128
 * characters from {@code [A-Za-z0-9_-]}, values of at most 512 bytes), which would turn a long method
 * list into a server that cannot register. So meta is bounded here instead: the well-known keys are
 * kept first, {@code grpc_methods} is cut at a method boundary with a "+N more" marker, and anything
 * else that does not fit is dropped (and listed in the returned warnings).
 */
final class ConsulEncoding {

    static final int MAX_META_KEYS = 64;
    static final int MAX_META_KEY_LENGTH = 128;
    static final int MAX_META_VALUE_BYTES = 512;
    static final String META_VERSION = InstanceMetadata.VERSION;
    static final String META_GRPC_METHODS = InstanceMetadata.GRPC_METHODS;
    /** Kept before any other key when the 64-key limit bites: clients, scrapers and the UI rely on them. */
    private static final List<String> WELL_KNOWN = List.of(META_VERSION, InstanceMetadata.PROTOCOL,
            InstanceMetadata.GRPC_TRANSPORT, InstanceMetadata.METRICS_PATH, InstanceMetadata.METRICS_PORT,
            InstanceMetadata.HEALTH_PATH, InstanceMetadata.TLS_MODE, META_GRPC_METHODS);
    private static final Pattern META_KEY = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private ConsulEncoding() {
    }

    /** A registration plus anything that had to be cut to fit Consul's limits. */
    record Encoded(Registration registration, List<String> warnings) {
    }

    static boolean validMetaKey(String key) {
        return META_KEY.matcher(key).matches() && !key.startsWith("consul-");
    }

    static Encoded registration(ServiceInstance instance, ConsulRegistryOptions options) {
        List<String> warnings = new ArrayList<>();
        LinkedHashSet<String> tags = new LinkedHashSet<>(instance.tags());
        tags.addAll(options.tags());
        // the instance's own values win over the config's extras: a config must not misstate a server's version
        Map<String, String> merged = new LinkedHashMap<>(options.meta());
        merged.putAll(instance.metadata());
        if (!instance.version().isEmpty()) {
            merged.putIfAbsent(META_VERSION, instance.version());
        }
        Map<String, String> meta = boundedMeta(merged, warnings);
        Registration registration = ImmutableRegistration.builder()
                .id(instance.id())
                .name(instance.name())
                .address(instance.host())
                .port(instance.port())
                .tags(tags)
                .meta(meta)
                .check(check(instance, options))
                .build();
        return new Encoded(registration, warnings);
    }

    /**
     * The check type used for {@code instance}: the configured one, except that a gRPC check becomes an HTTP
     * check on the observe port when the gRPC port speaks TLS only ({@code tls_mode} set). Consul's gRPC check
     * has no client certificate (an mTLS port refuses it) and cannot verify a Connect certificate by its
     * SPIFFE ID, while the observe port stays plaintext for Consul and Prometheus alike.
     */
    static ConsulRegistryOptions.CheckType checkType(ServiceInstance instance, ConsulRegistryOptions options) {
        if (options.checkType() == ConsulRegistryOptions.CheckType.GRPC && InstanceMetadata.tlsOnly(instance)) {
            return ConsulRegistryOptions.CheckType.HTTP;
        }
        return options.checkType();
    }

    /** Whether the registration is of a Connect-native server ({@code tls_mode: connect}). */
    static boolean connectNative(Registration registration) {
        return InstanceMetadata.TLS_MODE_CONNECT.equals(registration.getMeta().get(InstanceMetadata.TLS_MODE));
    }

    static Registration.RegCheck check(ServiceInstance instance, ConsulRegistryOptions options) {
        ImmutableRegCheck.Builder check = ImmutableRegCheck.builder()
                .deregisterCriticalServiceAfter(goDuration(options.deregisterAfter()));
        switch (checkType(instance, options)) {
            case GRPC -> check.name("gRPC health " + instance.address())
                    .grpc(instance.address())
                    .grpcUseTls(false)
                    .interval(goDuration(options.checkInterval()))
                    .timeout(goDuration(options.checkTimeout()))
                    .failuresBeforeCritical(options.checkFailuresBeforeCritical());
            case HTTP -> check.name("HTTP health " + InstanceMetadata.metricsAddress(instance))
                    .http(httpUrl(instance))
                    .interval(goDuration(options.checkInterval()))
                    .timeout(goDuration(options.checkTimeout()))
                    .failuresBeforeCritical(options.checkFailuresBeforeCritical());
            case TTL -> check.name("TTL heartbeat from the registry")
                    .ttl(goDuration(options.checkInterval()))
                    .notes("meshplay passes this check every third of its TTL while the server is registered");
        }
        return check.build();
    }

    /** The readiness endpoint, on the observe port, which is not the gRPC port on the netty transport. */
    static String httpUrl(ServiceInstance instance) {
        String path = InstanceMetadata.get(instance, InstanceMetadata.HEALTH_PATH, InstanceMetadata.DEFAULT_HEALTH_PATH);
        return "http://" + InstanceMetadata.metricsAddress(instance) + (path.startsWith("/") ? path : "/" + path);
    }

    /** The healthy instances in a stable order, so equal views compare equal. */
    static List<ServiceInstance> instances(List<ServiceHealth> entries) {
        List<ServiceInstance> out = new ArrayList<>(entries.size());
        for (ServiceHealth entry : entries) {
            out.add(instance(entry));
        }
        out.sort(Comparator.comparing(ServiceInstance::id));
        return List.copyOf(out);
    }

    /** One health entry's instance; a service registered without an address has its node's. */
    static ServiceInstance instance(ServiceHealth entry) {
        Service s = entry.getService();
        String host = s.getAddress() == null || s.getAddress().isBlank() ? entry.getNode().getAddress() : s.getAddress();
        Map<String, String> meta = s.getMeta() == null ? Map.of() : s.getMeta();
        return ServiceInstance.builder()
                .id(s.getId())
                .name(s.getService())
                .version(meta.getOrDefault(META_VERSION, ""))
                .host(host)
                .port(s.getPort())
                .tags(s.getTags())
                .metadata(meta)
                .build();
    }

    /** One health entry with its checks (the node's included, as Consul counts them for the instance). */
    static InstanceHealth health(ServiceHealth entry) {
        List<InstanceCheck> checks = new ArrayList<>(entry.getChecks().size());
        for (HealthCheck check : entry.getChecks()) {
            // Consul syncs a check's output only when its status changes (or every check_update_interval, 5 min): a
            // check registered passing by the first check shows its notes until then
            String output = check.getOutput().orElse("").strip();
            checks.add(new InstanceCheck(check.getCheckId(), check.getName(), HealthStatus.of(check.getStatus()),
                    output.isEmpty() ? check.getNotes().orElse("").strip() : output));
        }
        return InstanceHealth.of(instance(entry), checks);
    }

    /** Go's duration syntax, which Consul parses: 5s, 1500ms, 1m. */
    static String goDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    static Map<String, String> boundedMeta(Map<String, String> input, List<String> warnings) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String key : WELL_KNOWN) {
            if (input.containsKey(key)) {
                ordered.put(key, input.get(key));
            }
        }
        input.forEach(ordered::putIfAbsent);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : ordered.entrySet()) {
            String key = e.getKey();
            if (!validMetaKey(key)) {
                warnings.add("meta key '" + abbreviate(key) + "' dropped: Consul allows only [A-Za-z0-9_-], at most "
                        + MAX_META_KEY_LENGTH + " characters, not starting with 'consul-'");
                continue;
            }
            if (out.size() == MAX_META_KEYS) {
                warnings.add("meta key '" + key + "' dropped: Consul allows at most " + MAX_META_KEYS + " keys");
                continue;
            }
            String value = e.getValue() == null ? "" : e.getValue();
            if (utf8Length(value) > MAX_META_VALUE_BYTES) {
                value = key.equals(META_GRPC_METHODS) ? truncateList(value) : truncate(value);
                warnings.add("meta '" + key + "' shortened to " + MAX_META_VALUE_BYTES + " bytes (Consul's limit)");
            }
            out.put(key, value);
        }
        return out;
    }

    /** Keeps whole comma-separated entries and says how many were left out, e.g. {@code a,b,+12 more}. */
    static String truncateList(String value) {
        String[] items = value.split(",");
        StringBuilder kept = new StringBuilder();
        int count = 0;
        for (int i = 0; i < items.length; i++) {
            String candidate = (count == 0 ? "" : ",") + items[i];
            String marker = ",+" + (items.length - i - 1) + " more";
            boolean last = i == items.length - 1;
            int needed = utf8Length(kept.toString() + candidate) + (last ? 0 : utf8Length(marker));
            if (needed > MAX_META_VALUE_BYTES) {
                String more = (count == 0 ? "+" : ",+") + (items.length - i) + " more";
                return kept + more;
            }
            kept.append(candidate);
            count++;
        }
        return kept.toString();
    }

    /** Cuts at a character boundary so no UTF-8 sequence is split. */
    static String truncate(String value) {
        String marker = "...";
        int budget = MAX_META_VALUE_BYTES - marker.length();
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > budget) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return out + marker;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String abbreviate(String key) {
        return key.length() <= 40 ? key : key.substring(0, 40) + "...";
    }
}
