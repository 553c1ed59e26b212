package io.meshplay.apps.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshplay.client.SecureChannels;
import io.meshplay.grpcjson.reflection.ServerReflection;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.security.TransportSecurity;

/**
 * What each service offers, learned by gRPC reflection from one instance and kept per (service, version):
 * instances of one version serve one contract, and a rollout of a new version is described afresh. When
 * versions are mixed, the highest one's types are used. Unknown names are checked against the registry's
 * service list (kept for a second) before anything is watched, so a request for a made-up name starts no
 * registry watch.
 */
final class MethodCatalog {

    /** The services one version of a service offers, reflection's own left out. */
    record Described(String service, String version, List<ServiceDescriptor> services) {

        /** By full name ({@code example.Example}) or, when unambiguous, simple name ({@code Example}). */
        Optional<ServiceDescriptor> grpcService(String name) {
            Optional<ServiceDescriptor> exact = services.stream().filter(s -> s.getFullName().equals(name)).findFirst();
            if (exact.isPresent()) {
                return exact;
            }
            List<ServiceDescriptor> simple = services.stream().filter(s -> s.getName().equals(name)).toList();
            return simple.size() == 1 ? Optional.of(simple.getFirst()) : Optional.empty();
        }

        List<MethodDescriptor> methods() {
            return services.stream().flatMap(s -> s.getMethods().stream()).toList();
        }
    }

    private record Entry(CompletableFuture<Described> described, long expiresAt) {
    }

    private static final long KNOWN_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Registry registry;
    private final Optional<TransportSecurity> security;
    private final GatewayOptions options;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private volatile Set<String> known = Set.of();
    private volatile long knownAt = System.nanoTime() - 2 * KNOWN_REFRESH_NANOS;

    MethodCatalog(Registry registry, Optional<TransportSecurity> security, GatewayOptions options) {
        this.registry = registry;
        this.security = security;
        this.options = options;
    }

    /** The healthy instances of {@code service}: 404 listing the services when it is unknown, 503 when none is healthy. */
    List<ServiceInstance> instances(String service) {
        if (!known(service, false)) {
            throw GatewayError.of(Status.Code.NOT_FOUND, 404, "no service '" + service + "' in the registry; it has: "
                    + String.join(", ", new TreeSet<>(known)), "SERVICE_NOT_FOUND", Map.of("services", String.join(",", new TreeSet<>(known))));
        }
        List<ServiceInstance> instances = registry.instances(service);
        if (instances.isEmpty()) {
            if (!known(service, true)) {
                return instances(service);
            }
            throw GatewayError.of(Status.Code.UNAVAILABLE, "service '" + service + "' has no healthy instance");
        }
        return instances;
    }

    private boolean known(String service, boolean fresh) {
        if (known.contains(service) && !fresh) {
            return true;
        }
        long now = System.nanoTime();
        if (now - knownAt > KNOWN_REFRESH_NANOS) {
            known = Set.copyOf(registry.services());
            knownAt = now;
        }
        return known.contains(service);
    }

    /** The types of the version of {@code service} that its healthy instances run (the highest, if several). */
    Described describe(String service) {
        List<ServiceInstance> instances = instances(service);
        String version = instances.stream().map(ServiceInstance::version).max(VERSIONS).orElseThrow();
        List<ServiceInstance> ofVersion = instances.stream().filter(i -> i.version().equals(version))
                .sorted(Comparator.comparing(ServiceInstance::id)).toList();
        String key = service + "@" + version;
        long now = System.nanoTime();
        boolean[] mine = {false};
        Entry entry = cache.compute(key, (k, old) -> {
            if (old != null && old.expiresAt - now > 0) {
                return old;
            }
            mine[0] = true; // one request reflects; the others wait for its answer
            return new Entry(new CompletableFuture<>(), now + options.reflectionTtl().toNanos());
        });
        if (mine[0]) {
            try {
                entry.described.complete(reflect(service, version, ofVersion));
            } catch (RuntimeException e) {
                entry.described.completeExceptionally(e);
                cache.remove(key, entry); // the next request tries again
            }
        }
        try {
            return entry.described.get(options.reflectionTimeout().toMillis() * 4 + 1000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw GatewayError.of(Status.Code.DEADLINE_EXCEEDED, "gRPC reflection of '" + service + "' did not finish in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayError.of(Status.Code.CANCELLED, "interrupted");
        }
    }

    /** The method, or 404 listing the services or methods there are. */
    MethodDescriptor method(String service, String grpcService, String method) {
        Described described = describe(service);
        ServiceDescriptor s = described.grpcService(grpcService).orElseThrow(() -> {
            String offered = described.services.stream().map(ServiceDescriptor::getFullName).collect(Collectors.joining(", "));
            return GatewayError.of(Status.Code.NOT_FOUND, 404, "'" + service + "' has no gRPC service '" + grpcService + "'; it has: "
                    + offered, "GRPC_SERVICE_NOT_FOUND", Map.of("grpcServices", offered.replace(", ", ",")));
        });
        MethodDescriptor found = s.findMethodByName(method);
        if (found == null) {
            String offered = s.getMethods().stream().map(MethodDescriptor::getName).collect(Collectors.joining(", "));
            throw GatewayError.of(Status.Code.NOT_FOUND, 404, "'" + s.getFullName() + "' has no method '" + method + "'; its methods: "
                    + offered, "METHOD_NOT_FOUND", Map.of("methods", offered.replace(", ", ",")));
        }
        return found;
    }

    private Described reflect(String service, String version, List<ServiceInstance> instances) {
        StatusRuntimeException last = null;
        // the next instance of the version when one is unreachable; at most three tried per request
        for (ServiceInstance instance : instances.subList(0, Math.min(3, instances.size()))) {
            ManagedChannel channel = SecureChannels.configure(NettyChannelBuilder.forAddress(instance.host(), instance.port()),
                    security, service).build();
            try {
                ServerReflection reflection = new ServerReflection(channel, options.reflectionTimeout());
                List<ServiceDescriptor> services = new ArrayList<>();
                for (String name : reflection.services()) {
                    if (!name.startsWith("grpc.reflection.")) {
                        reflection.service(name).ifPresent(services::add);
                    }
                }
                return new Described(service, version, List.copyOf(services));
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
                    throw e;
                }
                last = e;
            } finally {
                channel.shutdownNow();
            }
        }
        throw last;
    }

    /** Dotted versions by number where both parts are numbers ({@code 1.10.0 > 1.9.2}), else as text. */
    static final Comparator<String> VERSIONS = (a, b) -> {
        String[] x = a.split("[.\\-+]");
        String[] y = b.split("[.\\-+]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d{1,9}") && y[i].matches("\\d{1,9}")
                    ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    };
}
