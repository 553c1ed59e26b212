package io.meshplay.cli.catalog;

import java.util.List;
import java.util.SortedSet;

/**
 * Read-only view of the registry with health, for inspection. The generic Registry API shows only
 * healthy instances; a registry-specific catalog (Consul's) shows every instance and its checks.
 */
public interface Catalog extends AutoCloseable {

    /** Every registered service name. */
    SortedSet<String> services();

    /** Every instance of {@code service} (healthy or not, where the registry can tell), sorted by id. */
    List<InstanceView> instances(String service);

    /** A sentence for output: what this view can and cannot see. */
    String source();

    @Override
    default void close() {
    }
}
