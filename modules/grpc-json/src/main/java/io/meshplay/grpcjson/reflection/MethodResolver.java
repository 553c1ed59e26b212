package io.meshplay.grpcjson.reflection;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.meshplay.grpcjson.call.DynamicCall;
import io.meshplay.grpcjson.GrpcJsonException;
import io.meshplay.grpcjson.descriptor.ProtoTypes;

/**
 * Finds the descriptor of the method to call: from a descriptor set when given, else from the server's
 * reflection; when reflection is missing or broken, from the fallback types when there are some (the CLI
 * ships the example contract and grpc.health.v1), with a warning, so the example service stays callable.
 */
public final class MethodResolver {

    /**
     * @param method the method
     * @param source where its types came from, e.g. "server reflection (grpc.reflection.v1.ServerReflection)"
     */
    public record Resolved(MethodDescriptor method, String source) {
    }

    /**
     * @param types  what stands in for a missing or broken reflection
     * @param option how the user gives a descriptor set instead, for the hint in errors, e.g. {@code --descriptor}
     */
    public record Fallback(ProtoTypes types, String option) {
    }

    private final Channel channel;
    private final Duration timeout;
    private final String target;
    private final Consumer<String> warn;
    private final Optional<Fallback> fallback;

    /**
     * @param target   how to name the called service in errors, e.g. {@code 'example'}
     * @param fallback the types to use when reflection fails; empty: the reflection failure is the answer
     * @param warn     receives one line when the fallback stands in for reflection
     */
    public MethodResolver(Channel channel, Duration timeout, String target, Optional<Fallback> fallback,
                          Consumer<String> warn) {
        this.channel = channel;
        this.timeout = timeout;
        this.target = target;
        this.fallback = fallback;
        this.warn = warn;
    }

    /** @param descriptor a descriptor set file to take the types from instead of reflection, or null */
    public Resolved resolve(MethodRef ref, Path descriptor) {
        if (descriptor != null) {
            ProtoTypes types = ProtoTypes.fromFile(descriptor);
            ServiceDescriptor service = types.service(ref.service()).orElseThrow(() -> GrpcJsonException.notFound(
                    types.source() + " has no service '" + ref.service() + "'; it has: " + String.join(", ", types.serviceNames())));
            return new Resolved(method(service, ref), types.source());
        }
        ServerReflection reflection = new ServerReflection(channel, timeout);
        String failure;
        try {
            Optional<ServiceDescriptor> found = reflection.service(ref.service());
            if (found.isPresent()) {
                return new Resolved(method(found.get(), ref), "server reflection (" + reflection.version() + ")");
            }
            List<String> offered = reflection.services();
            if (!offers(offered, ref.service())) {
                throw GrpcJsonException.notFound(target + " does not serve '" + ref.service() + "'; it serves: " + String.join(", ", offered));
            }
            failure = "server reflection lists '" + ref.service() + "' but cannot describe it";
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                throw e; // the server is the problem, not its reflection
            }
            if (code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED) {
                // the server authorizes callers per service, not per method (connect: intentions): the call
                // itself would be refused the same way, so that is the answer, not a fallback to the built-in contract
                throw e;
            }
            failure = "server reflection failed (" + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()) + ")";
        } catch (GrpcJsonException e) {
            if (e.kind() != GrpcJsonException.Kind.FAILED) {
                throw e;
            }
            failure = e.getMessage();
        }
        if (fallback.isEmpty()) {
            throw GrpcJsonException.failed(failure);
        }
        ProtoTypes example = fallback.get().types();
        String option = fallback.get().option();
        Optional<ServiceDescriptor> known = example.service(ref.service());
        if (known.isEmpty()) {
            Optional<List<String>> offered = tryList(reflection);
            if (offered.isPresent() && !offers(offered.get(), ref.service())) {
                throw GrpcJsonException.notFound(target + " does not serve '" + ref.service() + "'; it serves: "
                        + String.join(", ", offered.get()));
            }
            throw GrpcJsonException.failed(failure + ", and " + example.source() + " has no service '" + ref.service()
                    + "'; give its descriptor set with --descriptor");
        }
        warn.accept(failure + "; using " + example.source() + " instead (--descriptor for other services)");
        return new Resolved(method(known.get(), ref), example.source());
    }

    private static boolean offers(List<String> offered, String service) {
        return offered.contains(service) || offered.stream().anyMatch(s -> s.endsWith("." + service));
    }

    private static Optional<List<String>> tryList(ServerReflection reflection) {
        try {
            return Optional.of(reflection.services());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static MethodDescriptor method(ServiceDescriptor service, MethodRef ref) {
        MethodDescriptor found = service.findMethodByName(ref.method());
        if (found == null) {
            throw GrpcJsonException.notFound("'" + service.getFullName() + "' has no method '" + ref.method() + "'; its methods: "
                    + service.getMethods().stream().map(m -> m.getName() + " (" + DynamicCall.kind(m) + ")")
                            .collect(Collectors.joining(", ")));
        }
        return found;
    }
}
