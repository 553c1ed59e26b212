package io.meshplay.retry;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void doublesUpToTheMaximumAndStartsOverAfterReset() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(1));
        assertThat(Stream.generate(backoff::next).limit(4))
                .containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(1));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void delayByRetryNumberMatchesTheSequenceAndNeverOverflows() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 3, 0);
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(9));
        assertThat(backoff.delay(5)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.delay(Long.MAX_VALUE)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.delay(0)).isEqualTo(Duration.ofSeconds(1));
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofMinutes(1)).isPositive();
        }
    }

    @Test
    void zeroStaysZeroAndAnInitialAboveTheMaximumIsCapped() {
        Backoff zero = Backoff.exponential(Duration.ZERO, Duration.ofSeconds(5));
        assertThat(zero.next()).isZero();
        assertThat(zero.next()).isZero();
        assertThat(Backoff.exponential(Duration.ofMillis(200), Duration.ofMillis(100)).next()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void jitterOnlyShortensAPause() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 0.5);
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.next()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        }
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1), 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0))
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5))
                .hasMessageContaining("jitter");
    }
}
