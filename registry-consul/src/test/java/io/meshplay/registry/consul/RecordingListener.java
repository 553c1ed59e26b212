package io.meshplay.registry.consul;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.meshplay.registry.RegistryListener;
import io.meshplay.registry.ServiceInstance;

/** Keeps every list and error a watch reports, for tests to wait on and assert. */
final class RecordingListener implements RegistryListener {

    final List<List<ServiceInstance>> lists = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onChange(List<ServiceInstance> instances) {
        lists.add(instances);
    }

    @Override
    public void onError(Throwable error) {
        errors.add(error);
    }

    /** True once the latest list has {@code size} instances. */
    boolean latestHas(int size) {
        return !lists.isEmpty() && lists.getLast().size() == size;
    }
}
