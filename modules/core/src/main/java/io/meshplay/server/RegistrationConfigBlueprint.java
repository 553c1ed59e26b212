package io.meshplay.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

import io.helidon.builder.api.Option;
import io.helidon.builder.api.Prototype;
import io.helidon.common.Weighted;
import io.helidon.config.Config;
import io.helidon.webserver.spi.ServerFeatureProvider;
import io.meshplay.registry.InstanceMetadata;
import io.meshplay.registry.Registry;

/**
 * Configuration of {@link RegistrationFeature}, read from {@code server.features.meshplay-registration}
 * on any Helidon SE server. The {@code service.*} keys have the same names as a meshplay app's root
 * config, so {@link MeshplayServer} configures the feature from its root node.
 */
@Prototype.Blueprint(decorator = RegistrationConfigSupport.Decorator.class)
@Prototype.Configured(value = RegistrationFeature.NAME, root = false)
@Prototype.Provides(ServerFeatureProvider.class)
interface RegistrationConfigBlueprint extends Prototype.Factory<RegistrationFeature> {

    /**
     * Whether the server registers itself.
     *
     * @return whether the feature is enabled
     */
    @Option.Configured
    @Option.DefaultBoolean(true)
    boolean enabled();

    /**
     * Name of this feature instance.
     *
     * @return feature name
     */
    @Option.Default(RegistrationFeature.NAME)
    String name();

    /**
     * Weight among the server's features.
     *
     * @return feature weight
     */
    @Option.Configured
    @Option.DefaultDouble(Weighted.DEFAULT_WEIGHT)
    double weight();

    /**
     * The service name clients resolve ({@code meshplay:///<name>}); required when enabled.
     *
     * @return service name
     */
    @Option.Configured("service.name")
    Optional<String> serviceName();

    /**
     * Service version: metadata {@code version} and tag {@code v<version>}.
     *
     * @return service version
     */
    @Option.Configured("service.version")
    @Option.Default(RegistrationFeature.DEFAULT_VERSION)
    String version();

    /**
     * Instance id; default {@code <name>-<host>-<port>}.
     *
     * @return instance id
     */
    @Option.Configured("service.id")
    Optional<String> id();

    /**
     * Tags added after {@code grpc}, {@code metrics} and {@code v<version>}.
     *
     * @return extra tags
     */
    @Option.Configured("service.tags")
    @Option.Singular
    List<String> tags();

    /**
     * Metadata added to the well-known keys (which win).
     *
     * @return extra metadata
     */
    @Option.Configured("service.metadata")
    @Option.Singular
    Map<String, String> metadata();

    /**
     * Address registered for clients; default the host the server binds, or this machine's address when
     * that is a wildcard.
     *
     * @return advertised host
     */
    @Option.Configured("service.advertise-host")
    Optional<String> advertiseHost();

    /**
     * Path of the Prometheus endpoint (metadata {@code metrics_path}).
     *
     * @return metrics path
     */
    @Option.Configured("service.metrics-path")
    @Option.Default(InstanceMetadata.DEFAULT_METRICS_PATH)
    String metricsPath();

    /**
     * Path of the readiness endpoint (metadata {@code health_path}).
     *
     * @return health path
     */
    @Option.Configured("service.health-path")
    @Option.Default(InstanceMetadata.DEFAULT_HEALTH_PATH)
    String healthPath();

    /**
     * The node this was configured from; its {@code registry} node names the registry plug-in.
     *
     * @return configuration node
     */
    Optional<Config> config();

    /**
     * The registry to register in, closed by whoever created it; without it the feature creates one from
     * its {@code registry} node (type and plug-in options) and closes it when the server stops.
     *
     * @return registry given in code
     */
    Optional<Registry> registry();

    /**
     * Full gRPC method names ({@code package.Service/Method}) registered as {@code grpc_methods}. Listed
     * here because Helidon's gRPC routing does not expose the methods of the services added to it.
     *
     * @return gRPC methods
     */
    @Option.Configured("service.grpc-methods")
    List<String> grpcMethods();

    /**
     * What serves gRPC (metadata {@code grpc_transport}).
     *
     * @return transport name
     */
    @Option.Default(GrpcTransport.HELIDON)
    String grpcTransport();

    /**
     * Maps the port the server bound to the port gRPC clients connect to; default: the same port.
     *
     * @return gRPC port given the bound port
     */
    Optional<IntUnaryOperator> grpcPort();

    /**
     * The host gRPC listens on when it is not the server's own; the advertised host derives from it.
     *
     * @return host gRPC binds
     */
    Optional<String> bindHost();
}
