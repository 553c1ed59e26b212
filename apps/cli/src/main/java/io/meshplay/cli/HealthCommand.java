package io.meshplay.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshplay.client.SecureChannels;
import io.meshplay.registry.InstanceHealth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meshplay health <service>}: asks each instance's grpc.health.v1 directly, not the registry. */
@Command(name = "health", description = {"Ask every instance of a service for its grpc.health.v1 status, "
        + "connecting to each address directly.", "Exits 1 unless every instance is SERVING."})
final class HealthCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "<service>", description = "The service name, e.g. example.")
    String service;

    @Option(names = "--grpc-service", paramLabel = "<name>", defaultValue = "",
            description = "The name to ask grpc.health.v1 about; empty (default) means the whole server.")
    String grpcService;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "5s", converter = DurationConverter.class,
            description = "Per instance (default ${DEFAULT-VALUE}; 0 for none).")
    Duration timeout;

    @Override
    protected int run(Session session) throws Exception {
        Names.service(service);
        List<InstanceHealth> instances = Lookup.instances(session.inspection(), service);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Map<String, Object>>> results = new ArrayList<>();
            for (InstanceHealth instance : instances) {
                results.add(checks.submit(() -> check(instance, session)));
            }
            for (Future<Map<String, Object>> result : results) {
                rows.add(result.get());
            }
        }
        session.output().list(rows, List.of("id", "address", "status", "millis", "error"));
        if (instances.isEmpty()) {
            session.err().println("meshplay: service '" + service + "' has no instances to ask");
            return ExitCodes.FAILED;
        }
        boolean allServing = rows.stream().allMatch(r -> HealthCheckResponse.ServingStatus.SERVING.name().equals(r.get("status")));
        return allServing ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private Map<String, Object> check(InstanceHealth instance, Session session) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", instance.id());
        row.put("address", instance.instance().address());
        row.put("registry-status", instance.status().label());
        // the same tls.* as every client: under files or connect the instance only speaks TLS on its gRPC port
        ManagedChannel channel = SecureChannels.configure(NettyChannelBuilder.forAddress(instance.instance().host(),
                instance.instance().port()), session.transportSecurity(), service).build();
        long start = System.nanoTime();
        try {
            HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
            if (!timeout.isZero()) {
                stub = stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            HealthCheckResponse response = stub.check(HealthCheckRequest.newBuilder().setService(grpcService).build());
            row.put("status", response.getStatus().name());
            row.put("error", null);
        } catch (StatusRuntimeException e) {
            row.put("status", e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND ? "SERVICE_UNKNOWN" : "UNREACHABLE");
            row.put("error", ErrorHandler.message(e));
        } finally {
            row.put("millis", (System.nanoTime() - start) / 1_000_000);
            channel.shutdownNow();
        }
        return row;
    }
}
