package io.meshplay.tracing;

import java.net.URI;
import java.util.Collection;

import io.meshplay.retry.OutageLog;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * One warning when spans stop reaching the collector and one line when they reach it again, instead of
 * the exporter's line per failed batch (its own logger is off in logging.properties). Calls and
 * deliveries never wait on this: spans are queued and sent by the batch processor's thread.
 */
final class ExportOutages implements SpanExporter {

    private final SpanExporter delegate;
    private final OutageLog outage;

    ExportOutages(SpanExporter delegate, URI endpoint) {
        this.delegate = delegate;
        this.outage = new OutageLog("tracing: sending spans to " + endpoint);
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result;
        try {
            result = delegate.export(spans);
        } catch (RuntimeException e) {
            outage.failure(e.getMessage() + "; " + spans.size() + " spans dropped, calls are not affected");
            return CompletableResultCode.ofFailure();
        }
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                outage.success();
            } else {
                Throwable cause = result.getFailureThrowable();
                outage.failure((cause == null ? "the collector did not take them (down, unreachable or refusing)" : describe(cause))
                        + "; spans are dropped until it answers, calls are not affected");
            }
        });
        return result;
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }
}
