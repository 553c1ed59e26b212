package io.meshplay.codec;

import java.util.Locale;
import java.util.Map;

/** The codecs meshplay knows, by content type. */
public final class Codecs {

    public static final Codec PROTOBUF = new ProtobufCodec();
    public static final Codec JSON = new JsonCodec();

    private static final Map<String, Codec> BY_TYPE = Map.of(
            ProtobufCodec.CONTENT_TYPE, PROTOBUF,
            "application/x-protobuf", PROTOBUF,
            JsonCodec.CONTENT_TYPE, JSON);

    private Codecs() {
    }

    /**
     * @param contentType a content type header; null or blank means protobuf (what the Go seed sent)
     * @throws CodecException for a type no codec reads
     */
    public static Codec forContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return PROTOBUF;
        }
        String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Codec codec = BY_TYPE.get(bare);
        if (codec == null) {
            throw new CodecException("no codec for content type '" + contentType + "'; known: " + BY_TYPE.keySet());
        }
        return codec;
    }
}
