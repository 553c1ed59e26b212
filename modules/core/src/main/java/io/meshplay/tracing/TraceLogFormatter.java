package io.meshplay.tracing;

import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The log line format of {@code java.util.logging.SimpleFormatter.format}, with
 * {@code trace_id=... span_id=...} after the message of every line written inside a traced call or
 * delivery, so a line found in a log leads to its trace in Zipkin and back.
 *
 * <p>Read from the logging thread's current span: JUL's console handler formats on the thread that logs.
 * Outside a span, or with tracing off, the line is exactly SimpleFormatter's.
 */
public class TraceLogFormatter extends SimpleFormatter {

    @Override
    public String formatMessage(LogRecord record) {
        String message = super.formatMessage(record);
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? message + " trace_id=" + span.getTraceId() + " span_id=" + span.getSpanId() : message;
    }
}
