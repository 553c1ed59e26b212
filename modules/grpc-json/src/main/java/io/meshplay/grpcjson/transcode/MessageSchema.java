package io.meshplay.grpcjson.transcode;

import java.util.Locale;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

/**
 * A message type's fields as JSON, for a form or a hint: {@code {"fields":[{"name","jsonName","type","repeated",
 * "map","enumValues"?,"fields"?}]}}. Nested messages are described down to a depth, so a recursive type
 * ({@code Item { Item again = 2; }}) ends.
 */
public final class MessageSchema {

    /** How many levels of messages are described; a message field deeper than this has no {@code fields}. */
    public static final int DEFAULT_DEPTH = 3;

    private MessageSchema() {
    }

    public static JsonObject of(Descriptor type) {
        return of(type, DEFAULT_DEPTH);
    }

    public static JsonObject of(Descriptor type, int depth) {
        JsonObject schema = new JsonObject();
        schema.add("fields", fields(type, depth));
        return schema;
    }

    private static JsonArray fields(Descriptor type, int depth) {
        JsonArray fields = new JsonArray();
        for (FieldDescriptor field : type.getFields()) {
            JsonObject f = new JsonObject();
            f.addProperty("name", field.getName());
            f.addProperty("jsonName", field.getJsonName());
            boolean map = field.isMapField();
            // a map is a repeated entry message on the wire, an object in JSON: described by its value
            FieldDescriptor shown = map ? field.getMessageType().findFieldByName("value") : field;
            f.addProperty("type", typeName(shown));
            f.addProperty("repeated", field.isRepeated() && !map);
            f.addProperty("map", map);
            if (map) {
                f.addProperty("keyType", typeName(field.getMessageType().findFieldByName("key")));
            }
            if (shown.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                JsonArray values = new JsonArray();
                for (EnumValueDescriptor value : shown.getEnumType().getValues()) {
                    values.add(value.getName());
                }
                f.add("enumValues", values);
            }
            if (shown.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                f.addProperty("messageType", shown.getMessageType().getFullName());
                if (depth > 1) {
                    f.add("fields", fields(shown.getMessageType(), depth - 1));
                }
            }
            fields.add(f);
        }
        return fields;
    }

    /** The .proto type name: {@code string}, {@code int32}, ..., {@code enum}, {@code message}. */
    static String typeName(FieldDescriptor field) {
        return switch (field.getType()) {
            case MESSAGE, GROUP -> "message";
            default -> field.getType().name().toLowerCase(Locale.ROOT);
        };
    }
}
