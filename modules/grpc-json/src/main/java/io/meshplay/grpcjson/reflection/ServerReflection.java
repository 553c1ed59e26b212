package io.meshplay.grpcjson.reflection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.meshplay.grpcjson.GrpcJsonException;
import io.meshplay.grpcjson.descriptor.FileDescriptors;

/**
 * Asks a server which services it has and what they look like (grpc.reflection). Helidon's reflection
 * feature serves both {@code v1} and {@code v1alpha}; other servers may have only one. Their messages
 * are identical on the wire, so one set of stubs serves both and only the method path differs.
 */
public final class ServerReflection {

    private static final List<String> VERSIONS = List.of("grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");

    private final Channel channel;
    private final Duration timeout;
    private String version;

    public ServerReflection(Channel channel, Duration timeout) {
        this.channel = channel;
        this.timeout = timeout;
    }

    /** The reflection service that answered ({@code grpc.reflection.v1.ServerReflection}...), after a lookup. */
    public String version() {
        return version;
    }

    /** Full names of the services the server offers. */
    public List<String> services() {
        ServerReflectionResponse response = ask(ServerReflectionRequest.newBuilder().setListServices("*").build());
        if (response.hasErrorResponse()) {
            throw GrpcJsonException.failed("server reflection could not list services: " + response.getErrorResponse().getErrorMessage());
        }
        // Helidon lists a service once per method when it was added as a ServerServiceDefinition
        return response.getListServicesResponse().getServiceList().stream().map(s -> s.getName()).distinct().sorted().toList();
    }

    /**
     * The service named {@code name} with every type its methods use, or empty when the server does not
     * have it. A name without package matches a unique service of that simple name.
     */
    public Optional<ServiceDescriptor> service(String name) {
        Optional<ServiceDescriptor> found = lookup(name);
        if (found.isPresent()) {
            return found;
        }
        List<String> matches = services().stream().filter(s -> s.endsWith("." + name)).toList();
        return matches.size() == 1 ? lookup(matches.get(0)) : Optional.empty();
    }

    private Optional<ServiceDescriptor> lookup(String name) {
        ServerReflectionResponse response = ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(name).build());
        if (response.hasErrorResponse()) {
            if (response.getErrorResponse().getErrorCode() == Status.Code.NOT_FOUND.value()) {
                return Optional.empty();
            }
            throw GrpcJsonException.failed("server reflection could not describe '" + name + "': "
                    + response.getErrorResponse().getErrorMessage());
        }
        Map<String, FileDescriptorProto> files = new LinkedHashMap<>();
        add(files, response.getFileDescriptorResponse().getFileDescriptorProtoList());
        // servers may send only the file itself; fetch whatever it imports until nothing is missing
        for (int round = 0; round < 64; round++) {
            List<String> missing = new ArrayList<>();
            files.values().forEach(f -> FileDescriptors.missingDependencies(f, files).forEach(d -> {
                if (!missing.contains(d)) {
                    missing.add(d);
                }
            }));
            if (missing.isEmpty()) {
                break;
            }
            for (String file : missing) {
                ServerReflectionResponse dep = ask(ServerReflectionRequest.newBuilder().setFileByFilename(file).build());
                if (dep.hasErrorResponse()) {
                    throw GrpcJsonException.failed("server reflection does not have '" + file + "', which describes '" + name
                            + "': " + dep.getErrorResponse().getErrorMessage());
                }
                add(files, dep.getFileDescriptorResponse().getFileDescriptorProtoList());
            }
        }
        for (FileDescriptor file : FileDescriptors.link(files, "the server's reflection")) {
            for (ServiceDescriptor service : file.getServices()) {
                if (service.getFullName().equals(name)) {
                    return Optional.of(service);
                }
            }
        }
        return Optional.empty();
    }

    private static void add(Map<String, FileDescriptorProto> files, List<ByteString> encoded) {
        for (ByteString bytes : encoded) {
            try {
                FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
                files.putIfAbsent(file.getName(), file);
            } catch (InvalidProtocolBufferException e) {
                throw GrpcJsonException.failed("server reflection sent an unreadable file descriptor: " + e.getMessage(), e);
            }
        }
    }

    /** One request on its own stream; the first version that is implemented is kept. */
    private ServerReflectionResponse ask(ServerReflectionRequest request) {
        if (version != null) {
            return ask(version, request);
        }
        StatusRuntimeException last = null;
        for (String candidate : VERSIONS) {
            try {
                ServerReflectionResponse response = ask(candidate, request);
                version = candidate;
                return response;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                    throw e;
                }
                last = e;
            }
        }
        throw GrpcJsonException.failed("the server has no gRPC reflection (tried " + String.join(", ", VERSIONS)
                + "); enable it (Helidon: server.features.grpc-reflection.enabled: true)", last);
    }

    private ServerReflectionResponse ask(String service, ServerReflectionRequest request) {
        MethodDescriptor<ServerReflectionRequest, ServerReflectionResponse> method =
                MethodDescriptor.<ServerReflectionRequest, ServerReflectionResponse>newBuilder()
                        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "ServerReflectionInfo"))
                        .setRequestMarshaller(ProtoUtils.marshaller(ServerReflectionRequest.getDefaultInstance()))
                        .setResponseMarshaller(ProtoUtils.marshaller(ServerReflectionResponse.getDefaultInstance()))
                        .build();
        CompletableFuture<ServerReflectionResponse> first = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ClientCalls.asyncBidiStreamingCall(
                channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)),
                new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        first.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        first.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        first.completeExceptionally(Status.INTERNAL.withDescription("reflection stream ended without an answer")
                                .asRuntimeException());
                    }
                });
        requests.onNext(request);
        // half-close only after the answer: Helidon's reflection service ends a stream that is
        // half-closed before it answered with CANCELLED
        try {
            ServerReflectionResponse response = first.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            requests.onCompleted();
            return response;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw GrpcJsonException.failed("server reflection failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw GrpcJsonException.failed("server reflection did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GrpcJsonException.failed("interrupted", e);
        }
    }
}
