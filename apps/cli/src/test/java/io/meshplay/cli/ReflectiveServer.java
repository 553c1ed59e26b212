package io.meshplay.cli;

import java.util.Map;

import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.BindableService;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.services.HealthStatusManager;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcRouting;
import io.meshplay.apps.server.ExampleService;
import io.meshplay.client.ServedBy;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;

/**
 * The example service on a Helidon WebServer whose gRPC reflection can describe it: each (intercepted)
 * service definition is routed together with its .proto file descriptor. A route added as a bare
 * ServerServiceDefinition has no descriptor, and Helidon 4.4.0's reflection then fails every symbol
 * lookup (NullPointerException in GrpcReflectionService.findSymbol, seen by clients as CANCELLED).
 */
final class ReflectiveServer implements AutoCloseable {

    private final WebServer server;
    private final Registry registry;
    private final ServiceInstance instance;

    ReflectiveServer(Registry registry, String name) {
        this.registry = registry;
        HealthStatusManager health = new HealthStatusManager();
        String[] id = {"?"};
        ServerInterceptor servedBy = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                return next.startCall(new SimpleForwardingServerCall<>(call) {
                    @Override
                    public void sendHeaders(Metadata responseHeaders) {
                        responseHeaders.put(ServedBy.HEADER, id[0]);
                        super.sendHeaders(responseHeaders);
                    }
                }, headers);
            }
        };
        GrpcRouting.Builder grpc = GrpcRouting.builder();
        for (ServerServiceDefinition definition : new ServerServiceDefinition[] {new ExampleService().bindService(),
                health.getHealthService().bindService()}) {
            ServerServiceDefinition intercepted = ServerInterceptors.intercept(definition, servedBy);
            FileDescriptor proto = ((ProtoFileDescriptorSupplier) definition.getServiceDescriptor().getSchemaDescriptor())
                    .getFileDescriptor();
            BindableService bindable = () -> intercepted;
            grpc.service(proto, bindable);
        }
        server = WebServer.builder()
                .config(MeshplayConfig.of(Map.of("server.port", "0")).get("server"))
                .addRouting(grpc)
                .shutdownHook(false)
                .build()
                .start();
        health.setStatus("", ServingStatus.SERVING);
        instance = ServiceInstance.builder().name(name).version("2.0.0").host("127.0.0.1").port(server.port())
                .tags(java.util.List.of("grpc")).build();
        id[0] = instance.id();
        registry.register(instance);
    }

    ServiceInstance instance() {
        return instance;
    }

    @Override
    public void close() {
        registry.deregister(instance);
        server.stop();
    }
}
