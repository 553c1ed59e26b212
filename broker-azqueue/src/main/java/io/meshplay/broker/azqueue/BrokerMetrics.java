package io.meshplay.broker.azqueue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The broker's meters for one queue, in Helidon's global registry (so /observe/metrics shows them),
 * tagged with the queue name. Looked up once per queue, not per message.
 */
final class BrokerMetrics {

    private static final Map<String, BrokerMetrics> BY_QUEUE = new ConcurrentHashMap<>();

    final Counter published;
    final Counter received;
    final Counter acked;
    final Counter failed;
    final Counter poisoned;
    final Counter poisonDropped;
    final Counter decodeFailures;
    final Counter leaseRenewals;
    final Counter faults;
    final Timer handlerDuration;
    private final String queue;
    private final AtomicLong length = new AtomicLong(-1);
    private volatile boolean lengthRegistered;

    private BrokerMetrics(String queue) {
        this.queue = queue;
        List<Tag> tags = List.of(Tag.create("queue", queue));
        published = counter("meshplay.broker.published", "Messages sent to the queue", tags);
        received = counter("meshplay.broker.received", "Messages received from the queue (each delivery counts)", tags);
        acked = counter("meshplay.broker.acked", "Messages handled successfully and deleted from the queue", tags);
        failed = counter("meshplay.broker.failed", "Handler failures; the message is delivered again after a backoff or poisoned", tags);
        poisoned = counter("meshplay.broker.poisoned", "Messages moved to the <queue>-poison queue", tags);
        poisonDropped = counter("meshplay.broker.poison.dropped",
                "Messages deleted without a poison copy because the service refused every form of it (logged as errors)", tags);
        decodeFailures = counter("meshplay.broker.decode.failures", "Messages that were neither a meshplay envelope nor base64", tags);
        leaseRenewals = counter("meshplay.broker.lease.renewals", "Visibility timeouts extended while a handler was still running", tags);
        faults = counter("meshplay.broker.faults", "Failed requests to the queue service (retried)", tags);
        handlerDuration = Metrics.getOrCreate(Timer.builder("meshplay.broker.handler.duration")
                .description("Time a handler took for one message, successful or not")
                .baseUnit("seconds")
                .tags(tags));
    }

    static BrokerMetrics of(String queue) {
        return BY_QUEUE.computeIfAbsent(queue, BrokerMetrics::new);
    }

    void handled(long nanos) {
        handlerDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The approximate number of messages in the queue (visible or not), refreshed by subscribers. */
    void queueLength(long messages) {
        length.set(messages);
        if (!lengthRegistered) {
            synchronized (this) {
                if (!lengthRegistered) {
                    Metrics.getOrCreate(Gauge.builder("meshplay.broker.queue.length", length::get)
                            .description("Approximate number of messages in the queue, refreshed periodically by its subscribers")
                            .baseUnit("messages")
                            .tags(List.of(Tag.create("queue", queue))));
                    lengthRegistered = true;
                }
            }
        }
    }

    long queueLength() {
        return length.get();
    }

    private static Counter counter(String name, String description, List<Tag> tags) {
        return Metrics.getOrCreate(Counter.builder(name).description(description).baseUnit("messages").tags(tags));
    }
}
