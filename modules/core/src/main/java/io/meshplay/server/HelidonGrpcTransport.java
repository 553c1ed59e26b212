package io.meshplay.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.grpc.GrpcConfig;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.spi.ProtocolConfig;

/** gRPC through Helidon's own routing, on the WebServer's port (reflection from {@code server.features.grpc-reflection}). */
final class HelidonGrpcTransport implements GrpcTransport {

    private final int maxInboundMessageSize;

    HelidonGrpcTransport(int maxInboundMessageSize) {
        this.maxInboundMessageSize = maxInboundMessageSize;
    }

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
        // grpc.max-inbound-message-size is Helidon's max-read-buffer-size, which GuardedGrpcProtocolProvider
        // enforces with a RESOURCE_EXHAUSTED answer (Helidon's own check sends none)
        List<ProtocolConfig> protocols = new ArrayList<>();
        boolean found = false;
        for (ProtocolConfig protocol : webServer.protocols()) {
            if (protocol instanceof GrpcConfig grpcConfig) {
                protocol = GrpcConfig.builder(grpcConfig).maxReadBufferSize(maxInboundMessageSize).build();
                found = true;
            }
            protocols.add(protocol);
        }
        if (!found) {
            protocols.add(GrpcConfig.builder().maxReadBufferSize(maxInboundMessageSize).build());
        }
        webServer.protocols(protocols);
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
