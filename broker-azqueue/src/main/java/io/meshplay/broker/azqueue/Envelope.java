package io.meshplay.broker.azqueue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.azure.json.JsonToken;
import com.azure.json.JsonWriter;
import io.meshplay.broker.Message;
import io.meshplay.broker.UndecodableMessageException;

/**
 * The text of a queue message. Two forms are read:
 * <ul>
 *   <li>the envelope this broker writes, one JSON object:
 *       {@code {"meshplay":1,"headers":{"content-type":"...","message-id":"..."},"body":"<base64>"}};
 *       the body is standard base64, as in the plain form, and the headers are string to string;
 *       unknown fields are ignored so later versions can add some;</li>
 *   <li>plain standard base64 of the body, as the Go seed publishes: headers are then empty.</li>
 * </ul>
 * The forms cannot be confused: base64 never contains <code>{</code>. Anything else is undecodable
 * and goes to the poison queue, since no retry can fix it. Tools read queues through the broker's
 * {@link AzureQueueAdministration}, so the format stays this module's business.
 */
final class Envelope {

    /** Azure's limit for one message's text (64 KiB). */
    static final int MAX_TEXT_BYTES = 64 * 1024;
    static final int VERSION = 1;
    static final String VERSION_FIELD = "meshplay";
    static final String HEADERS_FIELD = "headers";
    static final String BODY_FIELD = "body";

    private Envelope() {
    }

    /** The queue text for a message; sorted headers keep the text stable for the same input. */
    static String encode(Message message) {
        StringWriter out = new StringWriter(message.body().length * 4 / 3 + 128);
        try (JsonWriter json = JsonProviders.createWriter(out)) {
            json.writeStartObject();
            json.writeIntField(VERSION_FIELD, VERSION);
            json.writeStartObject(HEADERS_FIELD);
            for (Map.Entry<String, String> header : new TreeMap<>(message.headers()).entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            json.writeStringField(BODY_FIELD, Base64.getEncoder().encodeToString(message.body()));
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a message envelope", e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * @throws UndecodableMessageException when the text is neither form
     */
    static Message decode(String text) {
        if (text == null || text.isEmpty()) {
            throw undecodable("the message text is empty");
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            return decodeEnvelope(trimmed);
        }
        try {
            return Message.of(Base64.getDecoder().decode(trimmed));
        } catch (IllegalArgumentException e) {
            throw undecodable("neither a meshplay envelope nor base64: " + e.getMessage());
        }
    }

    /** The text's size as Azure counts it for the 64 KiB limit. */
    static int size(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static Message decodeEnvelope(String text) {
        Integer version = null;
        Map<String, String> headers = Map.of();
        String body = null;
        try (JsonReader json = JsonProviders.createReader(text)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw undecodable("the envelope is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.getFieldName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case VERSION_FIELD -> version = value == JsonToken.NUMBER ? json.getInt() : null;
                    case HEADERS_FIELD -> headers = readHeaders(json, value);
                    case BODY_FIELD -> body = value == JsonToken.STRING ? json.getString() : null;
                    default -> json.skipChildren();
                }
            }
            if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != JsonToken.END_DOCUMENT) {
                throw undecodable("the envelope has text after its JSON object");
            }
        } catch (IOException | IllegalStateException e) {
            throw undecodable("the envelope is not valid JSON: " + e.getMessage());
        }
        if (version == null || version != VERSION) {
            throw undecodable("the envelope has no \"" + VERSION_FIELD + "\": " + VERSION + " field");
        }
        if (body == null) {
            throw undecodable("the envelope has no \"" + BODY_FIELD + "\" string");
        }
        try {
            return new Message(headers, Base64.getDecoder().decode(body));
        } catch (IllegalArgumentException e) {
            throw undecodable("the envelope's body is not base64: " + e.getMessage());
        }
    }

    private static UndecodableMessageException undecodable(String why) {
        return new UndecodableMessageException("undecodable message: " + why);
    }

    private static Map<String, String> readHeaders(JsonReader json, JsonToken value) throws IOException {
        if (value == JsonToken.NULL) {
            return Map.of();
        }
        if (value != JsonToken.START_OBJECT) {
            throw undecodable("the envelope's \"" + HEADERS_FIELD + "\" is not an object");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.getFieldName();
            if (json.nextToken() != JsonToken.STRING) {
                throw undecodable("the envelope's header '" + name + "' is not a string");
            }
            headers.put(name, json.getString());
        }
        return headers;
    }
}
