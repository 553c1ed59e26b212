package io.meshplay.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What one closed-loop run measured: successful calls, failed calls and the latency of the
 * successful ones (microseconds).
 */
public record LoadResult(String side, int concurrency, long calls, long errors, double seconds, Histogram latencyMicros,
                         String firstError) {

    public double perSecond() {
        return seconds <= 0 ? 0 : calls / seconds;
    }

    public double p50() {
        return calls == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(50);
    }

    public double p99() {
        return calls == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(99);
    }

    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("side", side);
        m.put("concurrency", concurrency);
        m.put("calls", calls);
        m.put("errors", errors);
        m.put("seconds", Spread.round(seconds));
        m.put("perSecond", Spread.round(perSecond()));
        m.put("p50Micros", Spread.round(p50()));
        m.put("p99Micros", Spread.round(p99()));
        if (firstError != null) {
            m.put("firstError", firstError);
        }
        return m;
    }
}
