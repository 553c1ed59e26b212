package io.meshplay.retry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutageLogTest {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(OutageLog.class.getName());
    // StreamHandler brings flush and close; only publish matters here
    private final Handler capture = new StreamHandler() {
        @Override
        public synchronized void publish(LogRecord record) {
            records.add(record);
        }
    };

    @BeforeEach
    void captureLogs() {
        logger.addHandler(capture);
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
    }

    @Test
    void oneLineWhenAnOutageStartsAndOneWithItsLengthWhenItEnds() {
        OutageLog outage = new OutageLog("test: polling 'orders'");
        assertThat(outage.success()).as("nothing to end").isFalse();
        assertThat(outage.failure("connection refused; retrying")).isTrue();
        for (int i = 0; i < 50; i++) {
            assertThat(outage.failure("connection refused; retrying")).isFalse();
        }
        assertThat(outage.down()).isTrue();
        assertThat(outage.success()).isTrue();
        assertThat(outage.success()).isFalse();
        assertThat(outage.down()).isFalse();

        assertThat(records).hasSize(2);
        assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
        assertThat(records.get(0).getMessage())
                .isEqualTo("test: polling 'orders' failed: connection refused; retrying (logged again when it recovers)");
        assertThat(records.get(1).getLevel()).isEqualTo(Level.INFO);
        assertThat(records.get(1).getMessage()).startsWith("test: polling 'orders' works again after 51 failed attempts in ")
                .endsWith(" ms");
    }

    @Test
    void eachOutageIsToldOnceAtTheLevelItsFirstFailureAsksFor() {
        OutageLog outage = new OutageLog("test: renewals");
        outage.failure(System.Logger.Level.ERROR, "access denied");
        outage.failure("access denied");
        outage.success();
        outage.failure("timeout");
        outage.success();

        assertThat(records).extracting(LogRecord::getLevel)
                .containsExactly(Level.SEVERE, Level.INFO, Level.WARNING, Level.INFO);
        assertThat(records.get(3).getMessage()).contains("after 1 failed attempt in");
    }
}
