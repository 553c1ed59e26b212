package io.meshplay.client;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import io.grpc.util.ForwardingLoadBalancer;
import io.grpc.util.ForwardingLoadBalancerHelper;
import io.grpc.util.ForwardingSubchannel;

/**
 * Sends each attempt of a hedged call to an instance the call has not tried yet, when there is one.
 *
 * <p>The chaos lab's partition left calls whose every hedged attempt went to the one silent instance (round
 * robin's next pick is shared by all concurrent calls, so one call's picks can land on the same instance), and
 * those calls waited out their deadline while two healthy instances were there. grpc-java hands each attempt's
 * pick the same {@link CallOptions}, so {@link #interceptor()} puts a per-call set of tried instances there and
 * the picker replaces a repeat by a ready instance the call has not tried. When only tried instances are ready
 * and an untried one is still connecting or about to (a client's first calls), the attempt waits for the next picker
 * instead of going to the instance that has not answered; otherwise it accepts the repeat. An ejected instance
 * reports itself not ready (outlier detection sits above this policy), so it is never chosen here.
 *
 * <p>Registered with grpc-java as the load-balancing policy {@value #POLICY}, with its child policy by name
 * ({@code {"childPolicy": "round_robin"}}).
 */
final class DistinctAttempts {

    static final String POLICY = "meshplay_distinct_attempts";
    private static final CallOptions.Key<Set<LoadBalancer.Subchannel>> TRIED = CallOptions.Key.create("meshplay.tried-instances");
    // policies below this one wrap subchannels again (round robin's health checking does), so a pick is known by
    // this attribute, which every wrapper passes through, not by the object it returns
    private static final Attributes.Key<LoadBalancer.Subchannel> TRACKED = Attributes.Key.create("meshplay.tracked-subchannel");

    private DistinctAttempts() {
    }

    /** Gives every call its own record of the instances its attempts went to. */
    static ClientInterceptor interceptor() {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return next.newCall(method, options.withOption(TRIED, ConcurrentHashMap.newKeySet()));
            }
        };
    }

    /** The service-config entry: this policy over {@code child}. */
    static Map<String, Object> config(String child) {
        return Map.of(POLICY, Map.of("childPolicy", child));
    }

    /** Found by grpc-java through {@code META-INF/services/io.grpc.LoadBalancerProvider}. */
    public static final class Provider extends LoadBalancerProvider {

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public int getPriority() {
            return 5;
        }

        @Override
        public String getPolicyName() {
            return POLICY;
        }

        @Override
        public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
            return new Balancer(helper);
        }

        @Override
        public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
            Object name = rawConfig.get("childPolicy");
            LoadBalancerProvider child = name instanceof String s ? LoadBalancerRegistry.getDefaultRegistry().getProvider(s) : null;
            if (child == null) {
                return ConfigOrError.fromError(Status.INTERNAL.withDescription(
                        POLICY + ": childPolicy must name a registered policy, got " + name));
            }
            ConfigOrError childConfig = child.parseLoadBalancingPolicyConfig(Map.of());
            return childConfig.getError() != null ? childConfig : ConfigOrError.fromConfig(new Child(child, childConfig.getConfig()));
        }
    }

    private record Child(LoadBalancerProvider provider, Object config) {
    }

    private static final class Balancer extends ForwardingLoadBalancer {
        private final LoadBalancer.Helper helper;
        private final Map<LoadBalancer.Subchannel, ConnectivityState> states = new ConcurrentHashMap<>();
        private LoadBalancer child;
        private LoadBalancerProvider childProvider;

        Balancer(LoadBalancer.Helper helper) {
            this.helper = helper;
        }

        @Override
        protected LoadBalancer delegate() {
            return child;
        }

        @Override
        public Status acceptResolvedAddresses(ResolvedAddresses resolved) {
            Child config = (Child) resolved.getLoadBalancingPolicyConfig();
            if (child == null || childProvider != config.provider()) {
                if (child != null) {
                    child.shutdown();
                }
                childProvider = config.provider();
                child = childProvider.newLoadBalancer(new ForwardingLoadBalancerHelper() {
                    @Override
                    protected LoadBalancer.Helper delegate() {
                        return helper;
                    }

                    @Override
                    public LoadBalancer.Subchannel createSubchannel(LoadBalancer.CreateSubchannelArgs args) {
                        return new Tracked(helper.createSubchannel(args), states);
                    }

                    @Override
                    public void updateBalancingState(ConnectivityState state, LoadBalancer.SubchannelPicker picker) {
                        helper.updateBalancingState(state, new Picker(picker, states));
                    }
                });
            }
            return child.acceptResolvedAddresses(resolved.toBuilder().setLoadBalancingPolicyConfig(config.config()).build());
        }

        @Override
        public void handleResolvedAddresses(ResolvedAddresses resolved) {
            acceptResolvedAddresses(resolved);
        }

        @Override
        public boolean canHandleEmptyAddressListFromNameResolution() {
            return child != null && child.canHandleEmptyAddressListFromNameResolution();
        }

        @Override
        public void requestConnection() {
            if (child != null) {
                child.requestConnection();
            }
        }

        @Override
        public void handleNameResolutionError(Status error) {
            if (child == null) {
                helper.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE,
                        new LoadBalancer.FixedResultPicker(LoadBalancer.PickResult.withError(error)));
            } else {
                child.handleNameResolutionError(error);
            }
        }

        @Override
        public void shutdown() {
            if (child != null) {
                child.shutdown();
            }
        }
    }

    /** A subchannel whose state the picker can see, to tell "still connecting" from "not there". */
    private static final class Tracked extends ForwardingSubchannel {
        private final LoadBalancer.Subchannel subchannel;
        private final Map<LoadBalancer.Subchannel, ConnectivityState> states;

        Tracked(LoadBalancer.Subchannel subchannel, Map<LoadBalancer.Subchannel, ConnectivityState> states) {
            this.subchannel = subchannel;
            this.states = states;
        }

        @Override
        protected LoadBalancer.Subchannel delegate() {
            return subchannel;
        }

        @Override
        public Attributes getAttributes() {
            return subchannel.getAttributes().toBuilder().set(TRACKED, this).build();
        }

        @Override
        public void start(LoadBalancer.SubchannelStateListener listener) {
            subchannel.start(state -> {
                states.put(this, state.getState());
                listener.onSubchannelState(state);
            });
        }

        @Override
        public void shutdown() {
            states.remove(this);
            subchannel.shutdown();
        }
    }

    private static final class Picker extends LoadBalancer.SubchannelPicker {
        private final LoadBalancer.SubchannelPicker child;
        private final Map<LoadBalancer.Subchannel, ConnectivityState> states;

        Picker(LoadBalancer.SubchannelPicker child, Map<LoadBalancer.Subchannel, ConnectivityState> states) {
            this.child = child;
            this.states = states;
        }

        @Override
        public LoadBalancer.PickResult pickSubchannel(LoadBalancer.PickSubchannelArgs args) {
            Set<LoadBalancer.Subchannel> tried = args.getCallOptions().getOption(TRIED);
            LoadBalancer.PickResult pick = child.pickSubchannel(args);
            LoadBalancer.Subchannel picked = pick.getSubchannel() == null ? null : pick.getSubchannel().getAttributes().get(TRACKED);
            if (tried == null || picked == null) {
                return pick;
            }
            if (tried.contains(picked)) {
                LoadBalancer.Subchannel ready = untried(tried, ConnectivityState.READY);
                if (ready != null) {
                    picked = ready;
                    pick = LoadBalancer.PickResult.withSubchannel(ready);
                } else if (untried(tried, ConnectivityState.CONNECTING) != null || untried(tried, ConnectivityState.IDLE) != null) {
                    return LoadBalancer.PickResult.withNoResult();
                }
            }
            tried.add(picked);
            return pick;
        }

        private LoadBalancer.Subchannel untried(Set<LoadBalancer.Subchannel> tried, ConnectivityState state) {
            for (Map.Entry<LoadBalancer.Subchannel, ConnectivityState> e : states.entrySet()) {
                if (e.getValue() == state && !tried.contains(e.getKey())) {
                    return e.getKey();
                }
            }
            return null;
        }
    }
}
