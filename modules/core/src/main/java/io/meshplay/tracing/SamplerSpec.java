package io.meshplay.tracing;

import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * {@code tracing.sampler}: {@code always}, {@code never} or {@code ratio:<p>} with {@code 0 <= p <= 1}.
 *
 * @param ratio the share of new traces recorded
 */
public record SamplerSpec(double ratio) {

    public static final SamplerSpec ALWAYS = new SamplerSpec(1.0);
    public static final SamplerSpec NEVER = new SamplerSpec(0.0);
    static final String EXPECTED = "always, never or ratio:<p> with p from 0 to 1 (e.g. ratio:0.1)";

    public SamplerSpec {
        if (!(ratio >= 0.0 && ratio <= 1.0)) {
            throw new IllegalArgumentException("ratio " + ratio);
        }
    }

    public static SamplerSpec parse(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("always")) {
            return ALWAYS;
        }
        if (t.equals("never")) {
            return NEVER;
        }
        if (t.startsWith("ratio:")) {
            return new SamplerSpec(Double.parseDouble(t.substring("ratio:".length())));
        }
        throw new IllegalArgumentException(text);
    }

    /** OpenTelemetry's sampler; parent-based, a remote or local parent's decision is kept. */
    Sampler sampler(boolean parentBased) {
        Sampler root = ratio >= 1.0 ? Sampler.alwaysOn() : ratio <= 0.0 ? Sampler.alwaysOff() : Sampler.traceIdRatioBased(ratio);
        return parentBased ? Sampler.parentBased(root) : root;
    }

    @Override
    public String toString() {
        return ratio >= 1.0 ? "always" : ratio <= 0.0 ? "never" : "ratio:" + ratio;
    }
}
