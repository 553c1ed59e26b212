package io.meshplay.broker.azqueue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meshplay.broker.Message;
import io.meshplay.broker.Poison;

/**
 * The forms a poison copy can take, largest first, each within the queue's size limit as this broker counts
 * it (UTF-8 bytes of the text, which is what Azurite checks and what publish checks):
 * <ol>
 *   <li><b>whole</b>: the original headers and body plus the {@link Poison} headers;</li>
 *   <li><b>truncated</b>: the poison headers, a few well-known original headers, {@link Poison#TRUNCATED},
 *       {@link Poison#ORIGINAL_SIZE}, {@link Poison#ORIGINAL_SHA256}, and as body the start of the original
 *       queue text (not its decoded body: the size and digest describe that same text, so a copy kept
 *       elsewhere can be matched);</li>
 *   <li><b>digest only</b>: the same headers without a body, a few hundred bytes, for when the service
 *       refuses the truncated form (it may count differently from us).</li>
 * </ol>
 * A message whose copy does not fit must still leave the source queue with its reason on record; cycling
 * between the queues until it expires (7 days, one failed copy per visibility timeout) helps no one.
 */
final class PoisonCopies {

    /** Longest reason or error kept in a reduced copy: a handler's exception text can be arbitrarily long. */
    static final int MAX_REDUCED_HEADER = 1024;
    /** Original headers worth keeping in a reduced copy, when short: what identifies and traces the message. */
    private static final List<String> KEPT_HEADERS = List.of(Message.MESSAGE_ID, Message.CONTENT_TYPE, Message.PUBLISHED_AT,
            "traceparent");
    private static final int MAX_KEPT_HEADER = 256;
    private static final List<String> POISON_HEADERS = List.of(Poison.REASON, Poison.HANDLER, Poison.ERROR, Poison.SOURCE,
            Poison.ATTEMPTS);

    /** One form: its queue text, and for a reduced one what was cut (for the log line). */
    record Copy(String text, String cut) {
        boolean reduced() {
            return cut != null;
        }
    }

    private PoisonCopies() {
    }

    /**
     * @param original the message's text as it was on the source queue, as UTF-8
     * @param poisoned the whole copy: the original (or, undecodable, its text as body) with the poison headers
     * @param limit    the queue's limit in bytes of text
     * @return the forms to try in order; never empty (the digest-only form fits any sane limit)
     */
    static List<Copy> forms(byte[] original, Message poisoned, int limit) {
        List<Copy> forms = new ArrayList<>(3);
        String whole = Envelope.encode(poisoned);
        int wholeSize = Envelope.size(whole);
        if (wholeSize <= limit) {
            forms.add(new Copy(whole, null));
        }
        String what = "the copy would be " + wholeSize + " bytes, over the queue's limit of " + limit + ": ";
        Map<String, String> headers = reducedHeaders(original, poisoned);
        headers.put(Poison.TRUNCATED, what + "the body is the start of the original queue text");
        int bodyBytes = fittingPrefix(original, limit - Envelope.size(Envelope.encode(new Message(headers, new byte[0]))));
        if (bodyBytes > 0) {
            byte[] prefix = java.util.Arrays.copyOf(original, bodyBytes);
            forms.add(new Copy(Envelope.encode(new Message(headers, prefix)), "truncated to the first " + bodyBytes + " of "
                    + original.length + " bytes"));
        }
        headers.put(Poison.TRUNCATED, what + "the body is left out");
        forms.add(new Copy(Envelope.encode(new Message(headers, new byte[0])), "body left out"));
        return forms;
    }

    /** Lower-case hex SHA-256, as {@link Poison#ORIGINAL_SHA256} carries it. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Map<String, String> reducedHeaders(byte[] original, Message poisoned) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : KEPT_HEADERS) {
            String value = poisoned.header(name);
            if (value != null && value.length() <= MAX_KEPT_HEADER) {
                headers.put(name, value);
            }
        }
        for (String name : POISON_HEADERS) {
            String value = poisoned.header(name);
            if (value != null) {
                headers.put(name, value.length() > MAX_REDUCED_HEADER ? value.substring(0, MAX_REDUCED_HEADER) + "..." : value);
            }
        }
        headers.put(Poison.ORIGINAL_SIZE, Integer.toString(original.length));
        headers.put(Poison.ORIGINAL_SHA256, sha256(original));
        return headers;
    }

    /**
     * How many leading bytes of {@code text} fit in {@code room} characters of base64, cut before a UTF-8
     * continuation byte so the kept start still reads as text.
     */
    private static int fittingPrefix(byte[] text, int room) {
        if (room < 4) {
            return 0;
        }
        int n = Math.min(text.length, room / 4 * 3);
        while (n > 0 && n < text.length && (text[n] & 0xC0) == 0x80) {
            n--;
        }
        return n;
    }

    /** The text as UTF-8, empty for none. */
    static byte[] bytes(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
}
