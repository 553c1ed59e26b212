package io.meshplay.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.helidon.config.Config;

/**
 * Finds keys a user wrote that nothing reads, so a typo ({@code registry.consul.adress}) is a warning with
 * the nearest known key instead of a setting silently left at its default.
 *
 * <p>Which keys are checked: those under the top-level sections the app itself declares options in,
 * plus {@code registry} and {@code broker}, except {@code server}, which Helidon's WebServer owns
 * ({@code server.features.*}, {@code server.tls}, {@code server.sockets} ... are Helidon's, and
 * meshplay declares only a few of them). A section the app does not read is not checked either: the
 * shared {@code meshplay.yaml} carries {@code client.*} for the clients, which the server ignores.
 * A key is known when it is declared, or lies under a declared list or map key ({@code registry.consul.meta.owner}).
 */
public final class UnknownKeys {

    /** The section Helidon's WebServer reads; never checked. */
    public static final String HELIDON_SECTION = "server";

    private final Set<String> known;
    private final Set<String> sections;

    /**
     * @param declared every key meshplay declares for this app (its own and every installed plug-in's)
     * @param checked  the top-level sections to check
     */
    public UnknownKeys(Collection<String> declared, Collection<String> checked) {
        this.known = new TreeSet<>(declared);
        this.sections = new TreeSet<>(checked);
        this.sections.remove(HELIDON_SECTION);
    }

    /** For an app that declares {@code appKeys}: those, the plug-ins', and their sections plus registry and broker. */
    public static UnknownKeys forApp(Options appKeys) {
        Options all = appKeys.and(pluginKeys());
        Set<String> sections = new TreeSet<>(List.of("registry", "broker"));
        appKeys.entries().forEach(e -> sections.add(section(e.key())));
        return new UnknownKeys(all.help().keySet(), sections);
    }

    private static Options pluginKeys() {
        return io.meshplay.registry.Registries.options().and(io.meshplay.broker.Brokers.options());
    }

    /**
     * One warning per unknown key among the leaves of {@code source}.
     *
     * @param origin where the keys come from, e.g. the file's path or {@code --set}
     */
    public List<String> warnings(Config source, String origin) {
        List<String> warnings = new ArrayList<>();
        source.traverse().filter(Config::isLeaf).forEach(node -> {
            String key = node.key().toString();
            if (sections.contains(section(key)) && !isKnown(key)) {
                warnings.add(warning(key, origin));
            }
        });
        return warnings;
    }

    /** The warning for one key written in {@code origin}. */
    public String warning(String key, String origin) {
        String nearest = nearest(key);
        return "unknown key " + key + " (" + origin + ")"
                + (nearest == null ? "; no meshplay option has that name (--help lists them)" : "; did you mean " + nearest + "?");
    }

    boolean isKnown(String key) {
        if (known.contains(key)) {
            return true;
        }
        for (String k : known) {
            if (key.startsWith(k + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The known key closest to {@code key}, if it is close enough to be a typo of it. */
    String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        // a few edits, or a third of the key: beyond that a suggestion is a guess, not a typo's fix
        return best != null && bestDistance <= Math.max(3, key.length() / 3) ? best : null;
    }

    private static String section(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
