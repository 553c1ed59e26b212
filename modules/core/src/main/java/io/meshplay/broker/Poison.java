package io.meshplay.broker;

import java.util.HashMap;
import java.util.Map;

/** How a message looks in a poison destination: the original, plus why it was given up. */
public final class Poison {

    public static final String SUFFIX = "-poison";
    public static final String REASON = "poison-reason";
    public static final String HANDLER = "poison-handler";
    public static final String ERROR = "poison-error";
    public static final String SOURCE = "poison-source";
    public static final String ATTEMPTS = "poison-attempts";
    /**
     * Set when the copy could not hold the whole original (a queue with a size limit): says what was cut.
     * Such a copy's body is not the original message, so it must not be replayed as one.
     */
    public static final String TRUNCATED = "poison-truncated";
    /** With {@link #TRUNCATED}: the original's size in bytes, as it was on the source queue. */
    public static final String ORIGINAL_SIZE = "poison-original-size";
    /** With {@link #TRUNCATED}: the SHA-256 (lower-case hex) of the original, as it was on the source queue. */
    public static final String ORIGINAL_SHA256 = "poison-original-sha256";

    private static final int MAX_ERROR_LENGTH = 1024;

    private Poison() {
    }

    public static String queueOf(String topic) {
        return topic + SUFFIX;
    }

    /** The original message with the poison headers added. */
    public static Message wrap(Message original, String source, String reason, String handler, Throwable error, long attempts) {
        Map<String, String> headers = new HashMap<>(original.headers());
        headers.put(REASON, reason);
        headers.put(HANDLER, handler);
        headers.put(SOURCE, source);
        headers.put(ATTEMPTS, Long.toString(attempts));
        if (error != null) {
            String text = error.getClass().getName() + ": " + error.getMessage();
            headers.put(ERROR, text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text);
        }
        return new Message(headers, original.body());
    }
}
