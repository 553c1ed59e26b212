package io.meshplay.server;

import java.time.Duration;
import java.util.List;

import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.grpc.GrpcRouting;

/** gRPC through Helidon's own routing, on the WebServer's port (reflection from {@code server.features.grpc-reflection}). */
final class HelidonGrpcTransport implements GrpcTransport {

    @Override
    public String name() {
        return HELIDON;
    }

    @Override
    public void start(WebServerConfig.Builder webServer, List<ServerServiceDefinition> services) {
        GrpcRouting.Builder grpc = GrpcRouting.builder();
        for (ServerServiceDefinition service : services) {
            // Routes need their .proto: Helidon's gRPC reflection fails every symbol lookup if one route lacks it.
            if (service.getServiceDescriptor().getSchemaDescriptor() instanceof ProtoFileDescriptorSupplier proto) {
                grpc.service(proto.getFileDescriptor(), () -> service);
            } else {
                grpc.service(service);
            }
        }
        webServer.addRouting(grpc);
    }

    @Override
    public int port(int webServerPort) {
        return webServerPort;
    }

    @Override
    public void stop(Duration grace) {
        // the WebServer's own stop ends gRPC with it
    }
}
