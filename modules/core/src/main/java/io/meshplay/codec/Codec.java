package io.meshplay.codec;

import com.google.protobuf.Message;

/** Turns protobuf messages into bytes and back, for one content type. */
public interface Codec {

    String contentType();

    byte[] encode(Message message);

    /**
     * @param prototype any instance of the wanted type, e.g. {@code Example.getDefaultInstance()}
     * @throws CodecException when the bytes are not a valid message of that type
     */
    <T extends Message> T decode(byte[] data, T prototype);
}
