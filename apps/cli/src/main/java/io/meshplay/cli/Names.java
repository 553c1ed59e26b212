package io.meshplay.cli;

import io.meshplay.registry.Intention;

/**
 * The names a user types for services and queues, checked before any request: a name the registry or
 * broker would only misread (a '/' or '..' that walks Consul's URL path, a '?' or '#' that ends it, an
 * empty name that lists something else) fails as a usage error (exit 2) that names the rule.
 *
 * <p>Consul itself accepts almost any service name at registration (1.8 and current alike; it only warns
 * about names DNS cannot serve), so the rule is what its HTTP API can look up by path. Queue names get the
 * same generic check here; each broker then applies its own rules before contacting anything (azqueue:
 * 3-63 lower-case letters, digits and single dashes), which the CLI reports as usage errors too.
 */
final class Names {

    /** Consul keeps longer names, but no DNS name or URL path segment people type is longer. */
    static final int MAX_LENGTH = 255;

    private static final String RULE = "1-" + MAX_LENGTH + " characters without whitespace, control characters, "
            + "'/', '?', '#' or '..'";

    private Names() {
    }

    /** A service name for the registry, e.g. {@code example}. */
    static String service(String name) {
        return check("service", name);
    }

    /**
     * One end of an intention: a service name, or {@code *} alone for every service (Consul knows no
     * partial wildcard such as {@code web*}).
     *
     * @param end {@code source} or {@code destination}
     */
    static String intentionEnd(String end, String name) {
        if (Intention.WILDCARD.equals(name)) {
            return name;
        }
        if (name != null && name.contains(Intention.WILDCARD)) {
            throw CliException.usage(end + " " + quoted(name) + " is not valid: '*' stands only alone, for every service "
                    + "(an intention's " + end + " is a service name or '*')");
        }
        return check(end + " service", name);
    }

    /** A topic (queue) name, before the broker's own rules. */
    static String queue(String name) {
        return check("queue", name);
    }

    private static String check(String what, String name) {
        String problem = problem(name);
        if (problem != null) {
            throw CliException.usage(what + " name " + quoted(name) + " is not valid: " + problem + " (a " + what
                    + " name is " + RULE + ")");
        }
        return name;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (name.isBlank()) {
            return "it is only whitespace";
        }
        if (name.length() > MAX_LENGTH) {
            return "it has " + name.length() + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return "control character " + printable(String.valueOf(c)) + " at position " + i;
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return "whitespace at position " + i;
            }
            if (c == '/' || c == '?' || c == '#') {
                return "'" + c + "' at position " + i;
            }
        }
        if (name.contains("..")) {
            return "it contains '..'";
        }
        return null;
    }

    /** The name as the error shows it: control characters escaped so they cannot garble the terminal, long ones cut. */
    static String quoted(String name) {
        if (name == null) {
            return "''";
        }
        String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
        return "'" + printable(shown) + "'";
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
