package io.meshplay.tracing;

import java.util.Map;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/** W3C trace context in a broker message's headers ({@code traceparent}, {@code tracestate}: already lower case). */
final class MessageHeaders {

    static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> headers) {
            return headers.keySet();
        }

        @Override
        public String get(Map<String, String> headers, String key) {
            return headers == null ? null : headers.get(key);
        }
    };

    static final TextMapSetter<Map<String, String>> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.put(key, value);
        }
    };

    private MessageHeaders() {
    }
}
