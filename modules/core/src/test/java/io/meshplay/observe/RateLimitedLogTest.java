package io.meshplay.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

class RateLimitedLogTest {

    @Test
    void holdsBackOverBudgetAndCountsItInTheNextLine() {
        String name = "meshplay.test.ratelimit." + System.nanoTime();
        List<String> lines = capture(name);
        AtomicLong now = new AtomicLong();
        RateLimitedLog log = RateLimitedLog.of(System.getLogger(name), 2, Duration.ofSeconds(10), now::get);

        for (int i = 0; i < 1000; i++) {
            log.log(Level.WARNING, "bad-call", () -> "bad call");
        }
        log.log(Level.WARNING, "other", () -> "other kind");
        assertThat(lines).containsExactly("bad call", "bad call", "other kind");
        assertThat(log.suppressed("bad-call")).isEqualTo(998);

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.log(Level.WARNING, "bad-call", () -> "bad call");
        assertThat(lines.getLast()).isEqualTo("bad call (998 more like this suppressed in the last 10000 ms)");
    }

    private static List<String> capture(String name) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(name);
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return lines;
    }
}
