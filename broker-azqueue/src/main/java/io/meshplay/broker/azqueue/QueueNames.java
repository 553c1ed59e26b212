package io.meshplay.broker.azqueue;

import io.meshplay.broker.Poison;

/**
 * Azure's queue naming rules, checked before any request so a bad topic fails with a sentence instead
 * of the service's bare 400 {@code InvalidResourceName}.
 */
public final class QueueNames {

    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 63;
    private static final String RULES = "Azure queue names are 3-63 characters of lowercase letters, digits and "
            + "single dashes, and start and end with a letter or digit";

    private QueueNames() {
    }

    /**
     * @return {@code name} when valid
     * @throws IllegalArgumentException naming the rule that is broken
     */
    public static String validate(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid queue name '" + printable(name) + "': " + problem + " (" + RULES + ")");
        }
        return name;
    }

    /** Validates a queue that is subscribed to: its poison queue {@code <name>-poison} must be valid too. */
    public static String validateSubscribed(String name) {
        validate(name);
        if (name.length() + Poison.SUFFIX.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid queue name '" + name + "': at most "
                    + (MAX_LENGTH - Poison.SUFFIX.length()) + " characters for a subscribed queue, so that its poison queue '"
                    + Poison.queueOf(name) + "' stays within " + MAX_LENGTH);
        }
        return name;
    }

    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.length() < MIN_LENGTH || name.length() > MAX_LENGTH) {
            return "it has " + name.length() + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return (c >= 'A' && c <= 'Z' ? "upper-case letter '" : "character '") + printable(String.valueOf(c))
                        + "' at position " + i;
            }
        }
        if (name.startsWith("-") || name.endsWith("-")) {
            return "it starts or ends with a dash";
        }
        if (name.contains("--")) {
            return "it has two dashes in a row";
        }
        return null;
    }

    /** Control characters would garble a log line. */
    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
