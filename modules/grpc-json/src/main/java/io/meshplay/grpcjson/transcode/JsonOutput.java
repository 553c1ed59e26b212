package io.meshplay.grpcjson.transcode;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.meshplay.grpcjson.GrpcJsonException;

/** A message as JSON (protobuf's canonical mapping), with zero values shown so a field never just vanishes. */
public final class JsonOutput {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();

    private JsonOutput() {
    }

    /** The same JSON as {@link #of} as compact text, without building a tree first (the gateway's hot path). */
    public static String text(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw GrpcJsonException.failed("cannot show a " + message.getDescriptorForType().getFullName() + " as JSON: "
                    + e.getMessage(), e);
        }
    }

    public static JsonElement of(Message message) {
        try {
            return JsonParser.parseString(PRINTER.print(message));
        } catch (InvalidProtocolBufferException e) {
            throw GrpcJsonException.failed("cannot show a " + message.getDescriptorForType().getFullName() + " as JSON: "
                    + e.getMessage(), e);
        }
    }
}
