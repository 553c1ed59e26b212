package io.meshplay.client;

import java.net.URI;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.grpc.ClientUriSupplier;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.Watch;

/**
 * The registry as a {@link ClientUriSupplier} for users of Helidon's own {@code GrpcClient}: round
 * robin over the watched healthy instances. grpc-java channels ({@link MeshplayClient}) are the
 * default because they pool connections; this adapter is for code already built on Helidon's client.
 */
public final class RegistryClientUriSupplier implements ClientUriSupplier, AutoCloseable {

    private final String service;
    private final Watch watch;
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<ServiceInstance> instances = List.of();

    public RegistryClientUriSupplier(Registry registry, String service) {
        this.service = service;
        this.watch = registry.watch(service, list -> instances = list);
    }

    @Override
    public boolean hasNext() {
        return !instances.isEmpty();
    }

    @Override
    public ClientUri next() {
        List<ServiceInstance> now = instances;
        if (now.isEmpty()) {
            throw new NoSuchElementException("no healthy instance of service '" + service + "'");
        }
        ServiceInstance instance = now.get(Math.floorMod(next.getAndIncrement(), now.size()));
        return ClientUri.create(URI.create("http://" + instance.address()));
    }

    @Override
    public void close() {
        watch.close();
    }
}
