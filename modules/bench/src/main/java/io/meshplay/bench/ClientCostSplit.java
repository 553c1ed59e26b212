package io.meshplay.bench;

import java.util.List;
import java.util.Map;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.meshplay.client.MeshplayClient;
import io.meshplay.client.MeshplayNameResolverProvider;
import io.meshplay.config.MeshplayConfig;

/**
 * Where the meshplay client's cost goes, measured at one concurrency beside row 1's sides: a plain
 * grpc-java channel on {@code meshplay:///} (the resolver alone), and the meshplay client with its
 * retry policy off ({@code client.retry.max-attempts=1}) or its outlier detection off. What is left
 * between those and the resolver alone is the client's metrics interceptor.
 */
final class ClientCostSplit implements AutoCloseable {

    static final String RESOLVER_ONLY = "grpc-java on meshplay:/// (resolver only)";
    static final String NO_RETRY = "meshplay client, retry off";
    static final String NO_OUTLIER = "meshplay client, outlier detection off";

    private final ManagedChannel resolverOnly;
    private final MeshplayClient noRetry;
    private final MeshplayClient noOutlier;

    private ClientCostSplit(ManagedChannel resolverOnly, MeshplayClient noRetry, MeshplayClient noOutlier) {
        this.resolverOnly = resolverOnly;
        this.noRetry = noRetry;
        this.noOutlier = noOutlier;
    }

    static ClientCostSplit open(BenchEnv env, MeshplayClient client, String service) {
        ManagedChannel resolverOnly = NettyChannelBuilder.forTarget(MeshplayNameResolverProvider.target(service))
                .setNameResolverArg(MeshplayNameResolverProvider.REGISTRY, client.registry())
                .defaultLoadBalancingPolicy("round_robin")
                .usePlaintext()
                .withOption(ChannelOption.TCP_NODELAY, true)
                .build();
        MeshplayClient noRetry = MeshplayClient.create(MeshplayConfig.of(Map.of(
                "registry.type", "consul", "registry.consul.address", env.consul.httpAddress(),
                "client.retry.max-attempts", "1")));
        MeshplayClient noOutlier = MeshplayClient.create(MeshplayConfig.of(Map.of(
                "registry.type", "consul", "registry.consul.address", env.consul.httpAddress(),
                "client.outlier-detection.enabled", "false")));
        ClientCostSplit split = new ClientCostSplit(resolverOnly, noRetry, noOutlier);
        Clients.awaitFirstCall(resolverOnly, 30);
        Clients.awaitFirstCall(noRetry.channel(service), 30);
        Clients.awaitFirstCall(noOutlier.channel(service), 30);
        return split;
    }

    List<Alternating.Side> sides(String service) {
        return List.of(
                new Alternating.Side(RESOLVER_ONLY, Clients.unary(resolverOnly)),
                new Alternating.Side(NO_RETRY, Clients.unary(noRetry.channel(service))),
                new Alternating.Side(NO_OUTLIER, Clients.unary(noOutlier.channel(service))));
    }

    /** One table line: each variant's QPS as a ratio to the fixed-address channel's, round by round. */
    static void report(Row row, String at, Map<String, List<LoadResult>> results, String resolved, String fixed) {
        List<LoadResult> f = results.get(fixed);
        StringBuilder b = new StringBuilder("QPS / grpc-java fixed: ");
        for (String side : List.of(RESOLVER_ONLY, NO_OUTLIER, NO_RETRY, resolved)) {
            b.append(side.equals(resolved) ? "full meshplay client" : side.replace("meshplay client, ", "client, "))
                    .append(' ').append(Spread.ratio(Alternating.ratio(results.get(side), f, LoadResult::perSecond).median()))
                    .append(side.equals(resolved) ? "" : "; ");
        }
        row.info(at + "where the client's cost goes", b + " (each variant keeps the client's other parts; all keep its metrics"
                + " interceptor but the resolver-only channel)");
    }

    @Override
    public void close() {
        Clients.close(resolverOnly);
        noRetry.close();
        noOutlier.close();
    }
}
