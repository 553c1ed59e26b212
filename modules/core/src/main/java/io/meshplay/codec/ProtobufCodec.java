package io.meshplay.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

/** {@code application/protobuf}: the binary wire format. */
public final class ProtobufCodec implements Codec {

    public static final String CONTENT_TYPE = "application/protobuf";

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public byte[] encode(Message message) {
        return message.toByteArray();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Message> T decode(byte[] data, T prototype) {
        try {
            return (T) prototype.getParserForType().parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new CodecException("not a valid " + prototype.getDescriptorForType().getFullName()
                    + " in " + CONTENT_TYPE + ": " + e.getMessage(), e);
        }
    }
}
