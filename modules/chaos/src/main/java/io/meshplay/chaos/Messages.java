package io.meshplay.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts per message id from the publisher's and the subscriber's journals: published (with when), acked
 * (a handler returned), and handled after it was acked (a duplicate of an acked message).
 */
final class Messages {

    final Map<String, Long> publishedAt = new HashMap<>();
    final Set<String> acked = new HashSet<>();
    final Set<String> duplicates = new HashSet<>();
    long handled;

    static Messages read(Path dir) {
        Messages m = new Messages();
        try {
            for (String line : lines(dir.resolve("published.log"))) {
                String[] f = line.split(" ");
                if (f.length == 3) {
                    m.publishedAt.put(f[1], Long.parseLong(f[2]));
                }
            }
            for (String line : lines(dir.resolve("handled.log"))) {
                String[] f = line.split(" ");
                if (f.length < 2) {
                    continue; // a line cut by a SIGKILL mid-write
                }
                if (f[0].equals("H")) {
                    m.handled++;
                    if (m.acked.contains(f[1])) {
                        m.duplicates.add(f[1]);
                    }
                } else if (f[0].equals("A")) {
                    m.acked.add(f[1]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the lab's journals: " + e.getMessage());
        }
        return m;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    long unacked() {
        return publishedAt.keySet().stream().filter(id -> !acked.contains(id)).count();
    }

    /** Published in [from, to): how many, how many never acked, how many acked ones came again. */
    long[] window(long from, long to) {
        long published = 0, lost = 0, dup = 0;
        for (Map.Entry<String, Long> e : publishedAt.entrySet()) {
            if (e.getValue() >= from && e.getValue() < to) {
                published++;
                lost += acked.contains(e.getKey()) ? 0 : 1;
                dup += duplicates.contains(e.getKey()) ? 1 : 0;
            }
        }
        return new long[] {published, lost, dup};
    }
}
