package io.meshplay.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Escaping for text and attribute values; everything from the registry or a queue passes through it. */
final class Html {

    private Html() {
    }

    static String esc(Object value) {
        String text = value == null ? "" : value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A stable id fragment for a name: lower-case letters, digits and '-' only. */
    static String idOf(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    /** A link that opens in a new tab and says so to screen readers. */
    static String externalLink(String href, String text) {
        return "<a href=\"" + esc(href) + "\" target=\"_blank\" rel=\"noopener noreferrer\">" + esc(text)
                + "<span class=\"visually-hidden\"> (opens in a new tab)</span></a>";
    }

    static String rate(double perSecond) {
        return perSecond >= 10 ? String.format(Locale.ROOT, "%.0f", perSecond) : String.format(Locale.ROOT, "%.1f", perSecond);
    }
}
