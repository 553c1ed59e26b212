package io.meshplay.registry;

import java.util.Collection;
import java.util.Locale;

/**
 * How healthy an instance or one of its checks is, in Consul's three states, best first. An instance is
 * as healthy as its worst check.
 */
public enum HealthStatus {
    PASSING,
    WARNING,
    CRITICAL;

    /** The lower-case name registries and the CLI's output use: {@code passing}, {@code warning}, {@code critical}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A registry's status text, case-insensitive. Anything unknown (or missing) counts as critical:
     * a state this code cannot read must not make an instance look healthy.
     */
    public static HealthStatus of(String text) {
        if (text != null) {
            for (HealthStatus status : values()) {
                if (status.label().equalsIgnoreCase(text.strip())) {
                    return status;
                }
            }
        }
        return CRITICAL;
    }

    /** The worst of {@code statuses}; passing when there are none (Consul's rule too). */
    public static HealthStatus worst(Collection<HealthStatus> statuses) {
        HealthStatus worst = PASSING;
        for (HealthStatus status : statuses) {
            HealthStatus s = status == null ? CRITICAL : status;
            if (s.compareTo(worst) > 0) {
                worst = s;
            }
        }
        return worst;
    }
}
