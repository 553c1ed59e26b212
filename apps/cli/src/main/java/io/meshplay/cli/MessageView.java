package io.meshplay.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import io.meshplay.broker.Message;
import io.meshplay.broker.QueuedMessage;
import io.meshplay.grpcjson.transcode.JsonOutput;
import io.meshplay.codec.CodecException;
import io.meshplay.codec.Codecs;

/**
 * A broker message for output: its headers, and its body decoded with {@code --type} by the message's
 * own content type (the codec conventions), else as text when it is UTF-8 text, else base64.
 */
final class MessageView {

    private MessageView() {
    }

    static Map<String, Object> of(QueuedMessage queued, Descriptor type) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", queued.id());
        view.put("dequeue-count", queued.dequeueCount());
        view.put("inserted", queued.insertedAt() == null ? null : queued.insertedAt().toString());
        if (queued.problem() != null) {
            view.put("problem", queued.problem());
        }
        body(view, queued.message(), type);
        return view;
    }

    static void body(Map<String, Object> view, Message message, Descriptor type) {
        view.put("headers", new TreeMap<>(message.headers()));
        byte[] body = message.body();
        if (type != null) {
            try {
                DynamicMessage decoded = Codecs.forContentType(message.header(Message.CONTENT_TYPE))
                        .decode(body, DynamicMessage.getDefaultInstance(type));
                view.put("body", JsonOutput.of(decoded));
                return;
            } catch (CodecException e) {
                view.put("body-error", e.getMessage());
            }
        }
        String text = text(body);
        if (text != null) {
            view.put("body-text", text);
        } else {
            view.put("body-base64", Base64.getEncoder().encodeToString(body));
        }
    }

    /** One line for a person: id, the headers that matter, the body. */
    static String line(Map<String, Object> view) {
        StringBuilder line = new StringBuilder();
        if (view.get("id") != null) {
            line.append(view.get("id")).append("  ");
        }
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) view.get("headers");
        if (headers != null && headers.get(Message.CONTENT_TYPE) != null) {
            line.append(headers.get(Message.CONTENT_TYPE)).append("  ");
        }
        Object body = view.containsKey("body") ? view.get("body")
                : view.containsKey("body-text") ? view.get("body-text") : "base64:" + view.get("body-base64");
        line.append(body instanceof String s ? s : Output.pretty(body).replaceAll("\\s*\\R\\s*", " "));
        if (view.get("body-error") != null) {
            line.append("  (").append(view.get("body-error")).append(")");
        }
        return line.toString();
    }

    /** The body as text if it is valid UTF-8 without control characters other than whitespace. */
    private static String text(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            boolean printable = text.codePoints().allMatch(c -> !Character.isISOControl(c) || c == '\n' || c == '\r' || c == '\t');
            return printable ? text : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
