package io.meshplay.grpcjson.transcode;

import java.io.IOException;
import java.io.StringReader;
import java.util.stream.Collectors;

import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.meshplay.grpcjson.GrpcJsonException;

/**
 * JSON text into a message of a type known only at run time. Malformed JSON is reported with its line
 * and column (a strict parse first, since protobuf's parser is lenient and vaguer); JSON that does not
 * fit the type names the field and lists the type's fields.
 */
public final class JsonInput {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private JsonInput() {
    }

    /**
     * @param what how to call the input in an error, e.g. {@code "the request"} or {@code "stdin line 3"}
     */
    public static DynamicMessage parse(String json, Descriptor type, String what) {
        String text = json == null || json.isBlank() ? "{}" : json;
        syntax(text, what);
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        try {
            PARSER.merge(text, builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            String fields = type.getFields().stream().map(FieldDescriptor::getJsonName).collect(Collectors.joining(", "));
            throw GrpcJsonException.badInput(what + " does not fit " + type.getFullName() + ": " + firstLine(e.getMessage())
                    + " (its fields: " + (fields.isEmpty() ? "none" : fields) + ")", e);
        }
        return builder.build();
    }

    /** Only the JSON syntax, so a typo is reported before any network call. */
    public static void checkSyntax(String json, String what) {
        if (json != null && !json.isBlank()) {
            syntax(json, what);
        }
    }

    private static void syntax(String text, String what) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw GrpcJsonException.badInput("malformed JSON in " + what + ": unexpected text after the JSON value at "
                        + location(reader));
            }
        } catch (JsonParseException | IOException e) {
            String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw GrpcJsonException.badInput("malformed JSON in " + what + ": " + firstLine(message), e);
        }
    }

    /** Gson's "... at line 1 column 5 path $.x" without its troubleshooting link. */
    private static String location(JsonReader reader) {
        String text = reader.toString();
        int at = text.indexOf(" at line ");
        return at < 0 ? reader.getPath() : text.substring(at + 4);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        String text = message.strip();
        int see = text.indexOf("\nSee ");
        if (see >= 0) {
            text = text.substring(0, see);
        }
        return text.replaceAll("\\s*\\R\\s*", " ");
    }
}
