package io.meshplay.cli;

import java.util.List;
import java.util.Set;

import io.helidon.config.Config;
import io.meshplay.registry.Registry;
import io.meshplay.registry.RegistryListener;
import io.meshplay.registry.RegistryProvider;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.Watch;
import io.meshplay.registry.memory.MemoryRegistry;

/**
 * {@code registry.type: bare}, test-only: a fake for a fault the real plug-ins cannot produce, since every
 * one of them offers inspection. It is the memory registry behind the Registry API and nothing more, as a
 * third-party plug-in without inspection, or a wrapper that does not forward it, would be.
 */
public final class BareRegistry implements Registry {

    static final String TYPE = "bare";

    private final Registry memory = MemoryRegistry.shared(TYPE);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void register(ServiceInstance instance) {
        memory.register(instance);
    }

    @Override
    public void deregister(ServiceInstance instance) {
        memory.deregister(instance);
    }

    @Override
    public List<ServiceInstance> instances(String service) {
        return memory.instances(service);
    }

    @Override
    public Set<String> services() {
        return memory.services();
    }

    @Override
    public Watch watch(String service, RegistryListener listener) {
        return memory.watch(service, listener);
    }

    @Override
    public void close() {
        memory.close();
    }

    /** Found by ServiceLoader through this module's test resources. */
    public static final class Provider implements RegistryProvider {

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Registry create(Config config) {
            return new BareRegistry();
        }
    }
}
