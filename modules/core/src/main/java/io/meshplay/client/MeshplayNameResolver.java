package io.meshplay.client;

import java.net.InetSocketAddress;
import java.util.List;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.Watch;

/**
 * Pushes the registry's view of one service to grpc-java on every change. No registry request is made
 * per call: the registry's watch keeps the list current and the load balancer picks from it.
 */
final class MeshplayNameResolver extends NameResolver {

    /** The registry id of the instance behind an address, for diagnostics. */
    static final Attributes.Key<String> INSTANCE_ID = Attributes.Key.create("meshplay.instance-id");

    private final String service;
    private final Registry registry;
    private final SynchronizationContext syncContext;
    private Watch watch;

    MeshplayNameResolver(String service, Registry registry, SynchronizationContext syncContext) {
        this.service = service;
        this.registry = registry;
        this.syncContext = syncContext;
    }

    @Override
    public String getServiceAuthority() {
        return service;
    }

    @Override
    public void start(Listener2 listener) {
        watch = registry.watch(service, instances -> syncContext.execute(() -> listener.onResult2(result(instances))));
    }

    private ResolutionResult result(List<ServiceInstance> instances) {
        ClientMetrics.resolverUpdate(service, instances.size());
        if (instances.isEmpty()) {
            return ResolutionResult.newBuilder()
                    .setAddressesOrError(StatusOr.fromStatus(Status.UNAVAILABLE.withDescription(
                            "no healthy instance of service '" + service + "' in the " + registry.type() + " registry")))
                    .build();
        }
        List<EquivalentAddressGroup> groups = instances.stream()
                .map(i -> new EquivalentAddressGroup(new InetSocketAddress(i.host(), i.port()),
                        Attributes.newBuilder().set(INSTANCE_ID, i.id()).build()))
                .toList();
        return ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(groups)).build();
    }

    /** Push-based: the watch already delivers every change. */
    @Override
    public void refresh() {
    }

    @Override
    public void shutdown() {
        if (watch != null) {
            watch.close();
        }
    }
}
