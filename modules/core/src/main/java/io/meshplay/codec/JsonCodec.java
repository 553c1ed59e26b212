package io.meshplay.codec;

import java.nio.charset.StandardCharsets;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

/** {@code application/json}: protobuf's canonical JSON mapping, readable in a queue browser. */
public final class JsonCodec implements Codec {

    public static final String CONTENT_TYPE = "application/json";

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public byte[] encode(Message message) {
        try {
            return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new CodecException("cannot print " + message.getDescriptorForType().getFullName() + " as JSON", e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Message> T decode(byte[] data, T prototype) {
        Message.Builder builder = prototype.newBuilderForType();
        try {
            PARSER.merge(new String(data, StandardCharsets.UTF_8), builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new CodecException("not a valid " + prototype.getDescriptorForType().getFullName()
                    + " in " + CONTENT_TYPE + ": " + e.getMessage(), e);
        }
        return (T) builder.build();
    }
}
