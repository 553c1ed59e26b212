package io.meshplay.broker;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What travels through a broker: headers and an opaque body.
 *
 * @param headers header names are lower case by convention (see the constants)
 * @param body    the payload bytes
 */
public record Message(Map<String, String> headers, byte[] body) {

    public static final String CONTENT_TYPE = "content-type";
    public static final String MESSAGE_ID = "message-id";
    public static final String PUBLISHED_AT = "published-at";

    public Message {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = Objects.requireNonNull(body, "body");
    }

    public static Message of(byte[] body) {
        return new Message(Map.of(), body);
    }

    public String header(String name) {
        return headers.get(name);
    }

    /**
     * This message as every broker publishes it: with a fresh {@link #MESSAGE_ID} and {@link #PUBLISHED_AT}
     * unless the publisher set them, so consumers can deduplicate and measure delay whichever broker
     * carried it.
     */
    public Message stamped() {
        if (headers.containsKey(MESSAGE_ID) && headers.containsKey(PUBLISHED_AT)) {
            return this;
        }
        Map<String, String> all = new HashMap<>(headers);
        all.putIfAbsent(MESSAGE_ID, UUID.randomUUID().toString());
        all.putIfAbsent(PUBLISHED_AT, Instant.now().toString());
        return new Message(all, body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && headers.equals(m.headers) && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return 31 * headers.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Message" + headers + "[" + body.length + " bytes]";
    }
}
