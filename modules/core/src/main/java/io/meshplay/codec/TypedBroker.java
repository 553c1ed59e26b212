package io.meshplay.codec;

import java.util.HashMap;
import java.util.Map;

import io.meshplay.broker.Broker;
import io.meshplay.broker.Message;
import io.meshplay.broker.PublishOptions;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.broker.Subscription;
import io.meshplay.broker.UndecodableMessageException;

/**
 * Typed publish/subscribe over any broker. The content type travels in a header, so a subscriber reads
 * what any publisher wrote; a message that cannot be decoded is poison (retrying cannot fix it).
 */
public final class TypedBroker {

    private final Broker broker;
    private final Codec codec;

    public TypedBroker(Broker broker, Codec codec) {
        this.broker = broker;
        this.codec = codec;
    }

    public TypedBroker(Broker broker) {
        this(broker, Codecs.PROTOBUF);
    }

    public Broker broker() {
        return broker;
    }

    /** Publishes with fresh message-id and published-at headers; returns the message id. */
    public String publish(String topic, com.google.protobuf.Message message, Map<String, String> headers, PublishOptions options) {
        Map<String, String> all = new HashMap<>(headers);
        all.put(Message.CONTENT_TYPE, codec.contentType());
        // stamped here too, since the caller needs the id the broker would otherwise choose
        Message stamped = new Message(all, codec.encode(message)).stamped();
        broker.publish(topic, stamped, options);
        return stamped.header(Message.MESSAGE_ID);
    }

    public String publish(String topic, com.google.protobuf.Message message) {
        return publish(topic, message, Map.of(), PublishOptions.DEFAULT);
    }

    public <T extends com.google.protobuf.Message> Subscription subscribe(String topic, T prototype,
                                                                          TypedHandler<T> handler, SubscribeOptions options) {
        return broker.subscribe(topic, event -> {
            T decoded;
            try {
                decoded = Codecs.forContentType(event.message().header(Message.CONTENT_TYPE))
                        .decode(event.message().body(), prototype);
            } catch (CodecException e) {
                throw new UndecodableMessageException("undecodable: " + e.getMessage(), e);
            }
            handler.handle(decoded, event);
        }, options);
    }
}
