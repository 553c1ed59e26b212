package io.meshplay.cli.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Consul's check states, worst last, and how a set of checks adds up. */
public final class Health {

    public static final String PASSING = "passing";
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";
    private static final List<String> ORDER = List.of(PASSING, WARNING, CRITICAL);

    private Health() {
    }

    /** The worst status among {@code statuses}; passing when there are none (Consul's rule too). */
    public static String worst(Collection<String> statuses) {
        int worst = 0;
        for (String status : statuses) {
            int rank = ORDER.indexOf(status == null ? CRITICAL : status.toLowerCase(Locale.ROOT));
            worst = Math.max(worst, rank < 0 ? ORDER.size() - 1 : rank);
        }
        return ORDER.get(worst);
    }
}
