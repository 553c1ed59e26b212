package io.meshplay.dashboard;

import static io.meshplay.dashboard.Html.esc;

/**
 * The whole page. Its first paint is complete without a script (everything can be read); the script then refreshes
 * the two live parts from their fragments and adds the call form, replay and purge.
 */
final class Page {

    private Page() {
    }

    static String render(DashboardOptions options, String meshFragment, String queuesFragment, String summary) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>meshplay dashboard</title><link rel=\"icon\" href=\"data:,\">")
                .append("<link rel=\"stylesheet\" href=\"").append(DashboardService.PREFIX).append("/static/dashboard.css\">")
                .append("<script src=\"").append(DashboardService.PREFIX).append("/static/dashboard.js\" defer></script>")
                .append("</head><body data-refresh-ms=\"").append(options.refresh().toMillis()).append("\">")
                .append("<a class=\"skip\" href=\"#main\">Skip to content</a>")
                .append("<header><h1>meshplay</h1><nav aria-label=\"Elsewhere\"><ul>");
        options.consulUi().ifPresent(u -> html.append("<li>").append(Html.externalLink(u + "/services", "Consul UI")).append("</li>"));
        options.prometheus().ifPresent(u -> html.append("<li>").append(Html.externalLink(u.toString(), "Prometheus")).append("</li>"));
        options.zipkin().ifPresent(u -> html.append("<li>").append(Html.externalLink(u.toString(), "Zipkin")).append("</li>"));
        html.append("</ul></nav><p id=\"summary\" role=\"status\" aria-live=\"polite\">").append(esc(summary)).append("</p>")
                .append("<p id=\"updated\" class=\"muted\">Live: refreshes every ").append(options.refresh().toMillis())
                .append(" ms while the script runs.</p></header><main id=\"main\">")
                .append("<section aria-labelledby=\"services-h\"><h2 id=\"services-h\">Services</h2>")
                .append("<div id=\"mesh\" data-fragment=\"").append(DashboardService.PREFIX).append("/fragment/mesh\">")
                .append(meshFragment).append("</div></section>");
        callForm(html);
        html.append("<section aria-labelledby=\"queues-h\"><h2 id=\"queues-h\">Queues</h2>")
                .append("<p id=\"queue-result\" role=\"status\" aria-live=\"polite\"></p>")
                .append("<div id=\"queues\" data-fragment=\"").append(DashboardService.PREFIX).append("/fragment/queues\">")
                .append(queuesFragment).append("</div></section>");
        purgeDialog(html);
        html.append("</main></body></html>");
        return html.toString();
    }

    private static void callForm(StringBuilder html) {
        html.append("<section aria-labelledby=\"call-h\"><h2 id=\"call-h\">Call a method</h2>")
                .append("<noscript><p>The call form needs JavaScript; everything else reads without it.</p></noscript>")
                .append("<form id=\"call-form\" hidden><div class=\"row\">")
                .append("<label for=\"call-service\">Service</label><select id=\"call-service\" name=\"service\"></select>")
                .append("<label for=\"call-method\">Method</label><select id=\"call-method\" name=\"method\" disabled></select>")
                .append("</div><p id=\"call-method-info\" class=\"muted\"></p>")
                .append("<fieldset id=\"call-fields\"><legend>Request</legend></fieldset>")
                .append("<p><button type=\"submit\" id=\"call-submit\" disabled>Send</button></p></form>")
                .append("<h3 id=\"call-result-h\">Response</h3>")
                .append("<p id=\"call-status\" role=\"status\" aria-live=\"polite\"></p>")
                .append("<pre id=\"call-result\" aria-labelledby=\"call-result-h\" tabindex=\"0\"></pre></section>");
    }

    private static void purgeDialog(StringBuilder html) {
        html.append("<dialog id=\"purge-dialog\" aria-labelledby=\"purge-h\"><form method=\"dialog\">")
                .append("<h2 id=\"purge-h\">Purge poisoned messages?</h2><p id=\"purge-text\"></p>")
                .append("<p><button value=\"cancel\" id=\"purge-cancel\">Cancel</button> ")
                .append("<button value=\"confirm\" id=\"purge-confirm\" class=\"danger\">Delete them</button></p>")
                .append("</form></dialog>");
    }
}
