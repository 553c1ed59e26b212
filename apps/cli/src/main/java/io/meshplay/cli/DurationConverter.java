package io.meshplay.cli;

import java.time.Duration;

import io.meshplay.config.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line as in config: {@code 500ms}, {@code 5s}, {@code 1m}, {@code PT5S}, and a
 * bare {@code 0}, which every {@code --timeout} reads as "none".
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        if (value.strip().equals("0")) {
            return Duration.ZERO;
        }
        try {
            Duration d = Durations.parse(value);
            if (d.isNegative()) {
                throw new TypeConversionException("'" + value + "' is negative");
            }
            return d;
        } catch (RuntimeException e) {
            if (e instanceof TypeConversionException t) {
                throw t;
            }
            throw new TypeConversionException("'" + value + "' is not a duration; expected e.g. 500ms, 5s, 1m, PT5S or 0 (none)");
        }
    }
}
