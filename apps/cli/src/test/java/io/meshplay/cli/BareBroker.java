package io.meshplay.cli;

import java.time.Duration;

import io.helidon.config.Config;
import io.meshplay.broker.Broker;
import io.meshplay.broker.BrokerProvider;
import io.meshplay.broker.Handler;
import io.meshplay.broker.Message;
import io.meshplay.broker.PublishOptions;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.broker.memory.MemoryBroker;

/**
 * {@code broker.type: bare}, test-only: a fake for a fault the real plug-ins cannot produce, since every
 * one of them administers its queues. It is the memory broker behind the Broker API and nothing more, as
 * a third-party plug-in without queue administration or browsing, or a wrapper that does not forward
 * them, would be.
 */
public final class BareBroker implements Broker {

    static final String TYPE = "bare";

    private final Broker memory = MemoryBroker.shared(TYPE, 5, Duration.ofMillis(100));

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void publish(String topic, Message message, PublishOptions options) {
        memory.publish(topic, message, options);
    }

    @Override
    public Subscription subscribe(String topic, Handler handler, SubscribeOptions options) {
        return memory.subscribe(topic, handler, options);
    }

    @Override
    public void close() {
        memory.close();
    }

    /** Found by ServiceLoader through this module's test resources. */
    public static final class Provider implements BrokerProvider {

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Broker create(Config config) {
            return new BareBroker();
        }
    }
}
