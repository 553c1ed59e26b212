package io.meshplay.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.meshplay.registry.Registry;

/**
 * Resolves {@code meshplay:///<service>} through a meshplay {@link Registry}. The registry travels with
 * the channel as a name-resolver argument ({@link #REGISTRY}), so one JVM can use several registries.
 */
public final class MeshplayNameResolverProvider extends NameResolverProvider {

    public static final String SCHEME = "meshplay";

    /** The registry a channel resolves through; set with {@code ManagedChannelBuilder.setNameResolverArg}. */
    public static final NameResolver.Args.Key<Registry> REGISTRY = NameResolver.Args.Key.create("meshplay.registry");

    public static String target(String service) {
        return SCHEME + ":///" + service;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!SCHEME.equals(targetUri.getScheme())) {
            return null;
        }
        String path = targetUri.getPath();
        if (path == null || path.length() < 2) {
            throw new IllegalArgumentException("target must be meshplay:///<service>, was " + targetUri);
        }
        Registry registry = args.getArg(REGISTRY);
        if (registry == null) {
            throw new IllegalArgumentException("channel for " + targetUri + " has no registry: build it with "
                    + "MeshplayClient, or setNameResolverArg(MeshplayNameResolverProvider.REGISTRY, registry)");
        }
        return new MeshplayNameResolver(path.substring(1), registry, args.getSynchronizationContext());
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 4; // below DNS (5): never become the default scheme for plain host:port targets
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return List.of(InetSocketAddress.class);
    }
}
