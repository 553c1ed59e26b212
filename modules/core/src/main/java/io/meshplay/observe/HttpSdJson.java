package io.meshplay.observe;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prometheus http_sd encoding: {@code [{"targets":["host:port"],"labels":{"k":"v"}}, ...]}. Written by
 * hand because the format is this small and core should not pull a JSON binding for it.
 */
final class HttpSdJson {

    private HttpSdJson() {
    }

    static String encode(List<PrometheusTargets.Group> groups) {
        StringBuilder out = new StringBuilder("[");
        for (int g = 0; g < groups.size(); g++) {
            PrometheusTargets.Group group = groups.get(g);
            out.append(g == 0 ? "\n" : ",\n").append("  {\"targets\":[");
            string(out, group.target());
            out.append("],\"labels\":{");
            Iterator<Map.Entry<String, String>> labels = group.labels().entrySet().iterator();
            while (labels.hasNext()) {
                Map.Entry<String, String> label = labels.next();
                string(out, label.getKey());
                out.append(':');
                string(out, label.getValue());
                if (labels.hasNext()) {
                    out.append(',');
                }
            }
            out.append("}}");
        }
        return out.append(groups.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
