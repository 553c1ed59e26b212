package io.meshplay.tracing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.meshplay.broker.Broker;
import io.meshplay.broker.DeliveryPolicy;
import io.meshplay.broker.Event;
import io.meshplay.broker.Handler;
import io.meshplay.broker.Message;
import io.meshplay.broker.PublishOptions;
import io.meshplay.broker.QueueAdministration;
import io.meshplay.broker.QueueBrowsing;
import io.meshplay.broker.Settlement;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;

/**
 * Any broker with the trace context in its message headers: a {@code send <topic>} PRODUCER span per
 * publish, and a {@code process <topic>} CONSUMER span per delivery attempt, a child of the send span.
 *
 * <p>Child, not link: every delivery goes to exactly one handler call (no batches), so the message has one
 * producer and each attempt one consumer, and a child keeps client, server, queue and every redelivery in
 * one trace that Zipkin draws as one tree. OpenTelemetry's messaging conventions allow a parent for
 * single-message processing; links are for batches, which Zipkin does not draw at all.
 *
 * <p>What each attempt led to is on its span ({@code meshplay.delivery.outcome}: acknowledged, redelivered,
 * poisoned), decided by the broker's own {@link DeliveryPolicy}, which every broker settles by.
 */
final class TracingBroker implements Broker {

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("meshplay.delivery.attempt");
    static final AttributeKey<Long> REDELIVERY_DELAY = AttributeKey.longKey("meshplay.delivery.redelivery_delay_ms");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("meshplay.delivery.outcome");
    static final AttributeKey<Long> NEXT_DELAY = AttributeKey.longKey("meshplay.delivery.next_attempt_in_ms");
    static final AttributeKey<String> POISON_REASON = AttributeKey.stringKey("meshplay.poison.reason");

    private final Broker delegate;
    private final Tracer tracer;
    private final ContextPropagators propagators;
    private final Optional<DeliveryPolicy> policy;

    TracingBroker(Broker delegate, Tracer tracer, ContextPropagators propagators) {
        this.delegate = delegate;
        this.tracer = tracer;
        this.propagators = propagators;
        this.policy = delegate.deliveryPolicy();
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public void publish(String topic, Message message, PublishOptions options) {
        Message stamped = message.stamped();
        Span span = tracer.spanBuilder("send " + topic)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, delegate.type())
                .setAttribute(DESTINATION, topic)
                .setAttribute(OPERATION_TYPE, "send")
                .setAttribute(OPERATION_NAME, "send")
                .setAttribute(MESSAGE_ID, stamped.header(Message.MESSAGE_ID))
                .setAttribute(BODY_SIZE, (long) stamped.body().length)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Map<String, String> headers = new HashMap<>(stamped.headers());
            propagators.getTextMapPropagator().inject(Context.current(), headers, MessageHeaders.SETTER);
            delegate.publish(topic, new Message(headers, stamped.body()), options);
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }

    @Override
    public Subscription subscribe(String topic, Handler handler, SubscribeOptions options) {
        return delegate.subscribe(topic, event -> handle(handler, event, options.name()), options);
    }

    private void handle(Handler handler, Event event, String handlerName) throws Exception {
        Message message = event.message();
        Context parent = propagators.getTextMapPropagator().extract(Context.root(), message.headers(), MessageHeaders.GETTER);
        Span span = tracer.spanBuilder("process " + event.topic())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, delegate.type())
                .setAttribute(DESTINATION, event.topic())
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(OPERATION_NAME, "process")
                .setAttribute(CONSUMER_GROUP, handlerName)
                .setAttribute(BODY_SIZE, (long) message.body().length)
                .setAttribute(ATTEMPT, event.attempt())
                .startSpan();
        String id = message.header(Message.MESSAGE_ID);
        if (id != null) {
            span.setAttribute(MESSAGE_ID, id);
        }
        if (event.attempt() > 1) {
            policy.ifPresent(p -> span.setAttribute(REDELIVERY_DELAY, p.backoff(event.attempt() - 1).toMillis()));
        }
        try (Scope ignored = span.makeCurrent()) {
            handler.handle(event);
            span.setAttribute(OUTCOME, "acknowledged");
        } catch (Exception | Error e) {
            failed(span, event.attempt(), e);
            throw e;
        } finally {
            span.end();
        }
    }

    private void failed(Span span, long attempt, Throwable error) {
        span.recordException(error);
        Optional<Settlement> settlement = policy.map(p -> p.failed(attempt, error));
        if (settlement.orElse(null) instanceof Settlement.Reject reject) {
            span.setAttribute(OUTCOME, "poisoned");
            span.setAttribute(POISON_REASON, reject.reason());
            span.setStatus(StatusCode.ERROR, "poisoned: " + reject.reason());
        } else if (settlement.orElse(null) instanceof Settlement.Redeliver redeliver) {
            span.setAttribute(OUTCOME, "redelivered");
            span.setAttribute(NEXT_DELAY, redeliver.after().toMillis());
            span.setStatus(StatusCode.ERROR, "handler failed; delivered again in " + redeliver.after().toMillis() + " ms");
        } else {
            span.setAttribute(OUTCOME, "failed");
            span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        }
    }

    @Override
    public Optional<QueueAdministration> queueAdministration() {
        return delegate.queueAdministration();
    }

    @Override
    public Optional<QueueBrowsing> queueBrowsing() {
        return delegate.queueBrowsing();
    }

    @Override
    public Optional<DeliveryPolicy> deliveryPolicy() {
        return policy;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
