package io.meshplay.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** How the lab counts per message id from its journals, and that its planned failures are ~30% and fixed. */
class MessagesTest {

    @Test
    void aMessageHandledAfterItsAckIsADuplicateAndOneNeverAckedIsLost(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("published.log"), "P m1 100\nP m2 200\nP m3 300\n");
        // m1: failed first attempt, then acked (not a duplicate); m2: acked, then handled again; m3: never acked;
        // the last line was cut by a SIGKILL mid-write
        Files.writeString(dir.resolve("handled.log"), "H m1 1\nH m1 2\nA m1\nH m2 1\nA m2\nH m2 2\nA m2\nH m3 1\nH");
        Messages m = Messages.read(dir);
        assertThat(m.unacked()).isEqualTo(1);
        assertThat(m.duplicates).containsExactly("m2");
        assertThat(m.window(150, 400)).containsExactly(2, 1, 1);
    }

    @Test
    void aboutThirtyPercentOfFirstAttemptsFailTheSameWayEveryRun() {
        long failing = IntStream.rangeClosed(1, 10_000).filter(i -> SubscriberMain.failsFirstAttempt("m" + i)).count();
        assertThat(failing).isBetween(2_700L, 3_300L);
        assertThat(SubscriberMain.failsFirstAttempt("m42")).isEqualTo(SubscriberMain.failsFirstAttempt("m42"));
    }
}
