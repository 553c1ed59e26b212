package io.meshplay.cli.grpc;

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
import io.meshplay.cli.CliException;
import io.meshplay.cli.ExitCodes;
import io.meshplay.cli.proto.ProtoTypes;

/**
 * Finds the descriptor of the method to call: from {@code --descriptor} when given, else from the
 * server's reflection; when reflection is missing or broken, from the descriptors the CLI ships (the
 * example contract and grpc.health.v1), with a warning, so the example service stays callable.
 */
public final class MethodResolver {

    /**
     * @param method the method
     * @param source where its types came from, e.g. "server reflection (grpc.reflection.v1.ServerReflection)"
     */
    public record Resolved(MethodDescriptor method, String source) {
    }

    private final Channel channel;
    private final Duration timeout;
    private final String target;
    private final Consumer<String> warn;

    /**
     * @param target how to name the called service in errors, e.g. {@code 'example'}
     * @param warn   receives one line when the example contract stands in for reflection
     */
    public MethodResolver(Channel channel, Duration timeout, String target, Consumer<String> warn) {
        this.channel = channel;
        this.timeout = timeout;
        this.target = target;
        this.warn = warn;
    }

    public Resolved resolve(MethodRef ref, Path descriptor) {
        if (descriptor != null) {
            ProtoTypes types = ProtoTypes.fromFile(descriptor);
            ServiceDescriptor service = types.service(ref.service()).orElseThrow(() -> CliException.notFound(
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
                throw CliException.notFound(target + " does not serve '" + ref.service() + "'; it serves: " + String.join(", ", offered));
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
        } catch (CliException e) {
            if (e.exitCode() != ExitCodes.FAILED) {
                throw e;
            }
            failure = e.getMessage();
        }
        ProtoTypes example = ProtoTypes.builtIn();
        Optional<ServiceDescriptor> known = example.service(ref.service());
        if (known.isEmpty()) {
            Optional<List<String>> offered = tryList(reflection);
            if (offered.isPresent() && !offers(offered.get(), ref.service())) {
                throw CliException.notFound(target + " does not serve '" + ref.service() + "'; it serves: "
                        + String.join(", ", offered.get()));
            }
            throw CliException.failed(failure + ", and " + example.source() + " has no service '" + ref.service()
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
            throw CliException.notFound("'" + service.getFullName() + "' has no method '" + ref.method() + "'; its methods: "
                    + service.getMethods().stream().map(m -> m.getName() + " (" + DynamicCall.kind(m) + ")")
                            .collect(Collectors.joining(", ")));
        }
        return found;
    }
}
