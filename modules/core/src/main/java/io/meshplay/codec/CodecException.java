package io.meshplay.codec;

/** Bytes that do not decode, or a content type nobody can decode. */
public class CodecException extends RuntimeException {

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }

    public CodecException(String message) {
        super(message);
    }
}
