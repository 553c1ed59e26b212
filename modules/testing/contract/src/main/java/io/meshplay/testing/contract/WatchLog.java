package io.meshplay.testing.contract;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.meshplay.registry.RegistryListener;
import io.meshplay.registry.ServiceInstance;

/**
 * What one watch was told: every list as the sorted ids it held (the contract promises no order within a
 * list), and every error. Thread-safe, since registries call listeners from threads of their own.
 */
final class WatchLog implements RegistryListener {

    private final List<List<String>> changes = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onChange(List<ServiceInstance> instances) {
        changes.add(RegistryContract.ids(instances));
    }

    @Override
    public void onError(Throwable error) {
        errors.add(error);
    }

    List<List<String>> changes() {
        return List.copyOf(changes);
    }

    int count() {
        return changes.size();
    }

    boolean told() {
        return !changes.isEmpty();
    }

    /** The last list told; empty before the first. */
    List<String> last() {
        return changes.isEmpty() ? List.of() : changes.getLast();
    }

    /** Whether the last list told holds exactly these ids, in any order. */
    boolean lastIs(String... ids) {
        return told() && last().equals(java.util.Arrays.stream(ids).sorted().toList());
    }

    List<Throwable> errors() {
        return List.copyOf(errors);
    }
}
