package io.meshplay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The ports tests hand out: a fixed band outside the kernel's ephemeral range. A port in the ephemeral
 * range can be taken by any outgoing connection of any process between our check and the child's bind;
 * a port outside it is only ever taken by someone binding it explicitly, and those are the tests
 * themselves, which coordinate through {@link Ports}.
 *
 * @param first lowest port of the band
 * @param last  highest port of the band
 */
public record PortBand(int first, int last) {

    /** Where the band lies unless the ephemeral range forces it elsewhere. */
    static final PortBand PREFERRED = new PortBand(20000, 29999);

    /**
     * Ports the demo and real agents use (Consul 8300-8302, 8500-8503, 8600; Prometheus 9090; demo servers
     * 10000-10002): never handed out, so a test cannot block a developer's running demo or be blocked by it.
     */
    private static final Set<Integer> WELL_KNOWN = Set.of(8300, 8301, 8302, 8500, 8501, 8502, 8503, 8600, 9090,
            10000, 10001, 10002);
    private static final Path EPHEMERAL = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Fewer ports than this outside the ephemeral range and the band would run dry under a parallel build. */
    private static final int MIN_SIZE = 1000;

    public PortBand {
        if (first < 1024 || last > 65535 || first > last) {
            throw new IllegalArgumentException("not a band of unprivileged ports: " + first + "-" + last);
        }
    }

    /**
     * {@code MESHPLAY_TEST_PORTS=lo-hi} if set, else {@link #PREFERRED} moved out of this machine's
     * ephemeral range if it overlaps it.
     */
    static PortBand detect() {
        String configured = System.getenv("MESHPLAY_TEST_PORTS");
        if (configured != null && !configured.isBlank()) {
            String[] parts = configured.strip().split("-");
            try {
                return new PortBand(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("MESHPLAY_TEST_PORTS must be <first>-<last> unprivileged ports, was "
                        + configured, e);
            }
        }
        int[] ephemeral = ephemeralRange();
        return ephemeral == null ? PREFERRED : outside(ephemeral[0], ephemeral[1]);
    }

    /**
     * {@link #PREFERRED} if it does not overlap {@code lo..hi}; else the larger stretch of unprivileged ports
     * below or above that range, at most as wide as the preferred band.
     */
    static PortBand outside(int lo, int hi) {
        if (hi < PREFERRED.first || lo > PREFERRED.last) {
            return PREFERRED;
        }
        int below = lo - 1 - 1024 + 1;
        int above = 65535 - (hi + 1) + 1;
        int width = PREFERRED.size();
        if (Math.max(below, above) < MIN_SIZE) {
            // nothing outside the ephemeral range: bind checks and restarts on bind failure still protect
            System.getLogger(PortBand.class.getName()).log(System.Logger.Level.WARNING,
                    "the ephemeral port range " + lo + "-" + hi + " leaves no band for tests; using " + PREFERRED
                            + " inside it, so outgoing connections may take test ports");
            return PREFERRED;
        }
        if (below >= above) {
            return new PortBand(Math.max(1024, lo - width), lo - 1);
        }
        return new PortBand(hi + 1, Math.min(65535, hi + width));
    }

    /** {@code [lo, hi]} of the kernel's ephemeral ports, or null where the kernel does not say. */
    static int[] ephemeralRange() {
        try {
            if (!Files.isReadable(EPHEMERAL)) {
                return null;
            }
            String[] parts = Files.readString(EPHEMERAL).strip().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public int size() {
        return last - first + 1;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    /** Whether the band may hand out {@code port}. */
    boolean usable(int port) {
        return contains(port) && !WELL_KNOWN.contains(port);
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
