package io.meshplay.tracing;

import java.util.function.Supplier;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Puts {@code service.instance.id} on every span. A span attribute, not a resource attribute, because a
 * server's instance id names the port it listens on, which is known only after the SDK is built.
 */
final class InstanceIdProcessor implements SpanProcessor {

    private final Supplier<String> instanceId;

    InstanceIdProcessor(Supplier<String> instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String id = instanceId.get();
        if (id != null) {
            span.setAttribute(Tracing.INSTANCE_ID, id);
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
