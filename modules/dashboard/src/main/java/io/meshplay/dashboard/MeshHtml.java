package io.meshplay.dashboard;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.meshplay.registry.HealthStatus;
import io.meshplay.registry.InstanceCheck;
import io.meshplay.registry.Intention;

import static io.meshplay.dashboard.Html.esc;

/** The services, instances and intentions part of the page: rendered for the first paint and for every refresh. */
final class MeshHtml {

    private final DashboardOptions options;

    MeshHtml(DashboardOptions options) {
        this.options = options;
    }

    String render(MeshSnapshot mesh, CallRates rates) {
        StringBuilder html = new StringBuilder();
        html.append("<p class=\"source\">From ").append(esc(mesh.registry())).append(".</p>");
        if (mesh.problem().isPresent()) {
            html.append("<p class=\"problem\" role=\"alert\">The registry did not answer: ")
                    .append(esc(mesh.problem().get())).append("</p>");
            return html.toString();
        }
        if (mesh.services().isEmpty()) {
            html.append("<p>No service is registered.</p>");
        }
        for (MeshSnapshot.Service service : mesh.services()) {
            service(html, service, rates);
        }
        if (mesh.connect()) {
            intentions(html, mesh);
        }
        return html.toString();
    }

    private void service(StringBuilder html, MeshSnapshot.Service service, CallRates rates) {
        String id = "service-" + Html.idOf(service.name());
        html.append("<article class=\"service\" data-service=\"").append(esc(service.name())).append("\" aria-labelledby=\"")
                .append(id).append("\"><h3 id=\"").append(id).append("\">").append(esc(service.name()))
                .append(" <span class=\"count\">").append(service.instances().size()).append(" instance(s), ")
                .append(service.passing()).append(" passing</span></h3><p class=\"links\">");
        options.consulUi().ifPresent(ui -> html.append(Html.externalLink(ui + "/services/" + Html.query(service.name()),
                "Consul UI")).append(' '));
        options.prometheus().ifPresent(p -> html.append(Html.externalLink(prometheusGraph(p, service.name()),
                "Prometheus: calls/s")).append(' '));
        options.zipkin().ifPresent(z -> html.append(Html.externalLink(z + "/?serviceName=" + Html.query(service.name()),
                "Zipkin: traces")).append(' '));
        html.append("<button type=\"button\" class=\"call-open\" data-call=\"").append(esc(service.name()))
                .append("\">Call ").append(esc(service.name())).append("…</button></p>");
        html.append("<table><caption>Instances of ").append(esc(service.name())).append("</caption><thead><tr>")
                .append("<th scope=\"col\">Instance</th><th scope=\"col\">Address</th><th scope=\"col\">Health</th>")
                .append("<th scope=\"col\">Version</th><th scope=\"col\">Transport</th><th scope=\"col\">TLS / identity</th>")
                .append("<th scope=\"col\">Tags</th><th scope=\"col\">Metadata</th><th scope=\"col\">Calls/s by method</th>")
                .append("</tr></thead><tbody>");
        for (MeshSnapshot.Instance instance : service.instances()) {
            instance(html, instance, rates);
        }
        html.append("</tbody></table></article>");
    }

    private static void instance(StringBuilder html, MeshSnapshot.Instance instance, CallRates rates) {
        html.append("<tr data-instance=\"").append(esc(instance.id())).append("\"><th scope=\"row\">")
                .append(esc(instance.id())).append("</th><td>").append(esc(instance.instance().address())).append("</td>")
                .append("<td><span class=\"health ").append(instance.status().label()).append("\">")
                .append(instance.status().label()).append("</span>");
        if (!instance.checks().isEmpty()) {
            html.append("<details data-key=\"checks:").append(esc(instance.id())).append("\"><summary>")
                    .append(instance.checks().size()).append(" check(s)</summary><ul>");
            for (InstanceCheck check : instance.checks()) {
                html.append("<li>").append(esc(check.name().isEmpty() ? check.id() : check.name())).append(": ")
                        .append(check.status().label());
                if (!check.output().isBlank()) {
                    html.append(" — ").append(esc(check.output()));
                }
                html.append("</li>");
            }
            html.append("</ul></details>");
        }
        html.append("</td><td>").append(esc(instance.instance().version())).append("</td><td>")
                .append(esc(instance.transport())).append("</td><td>").append(esc(instance.tlsMode())).append("<br><small>")
                .append(esc(instance.identity())).append("</small></td><td>")
                .append(esc(String.join(", ", instance.instance().tags()))).append("</td><td>");
        Map<String, String> metadata = new TreeMap<>(instance.instance().metadata());
        html.append("<details data-key=\"meta:").append(esc(instance.id())).append("\"><summary>").append(metadata.size())
                .append(" key(s)</summary><dl>");
        metadata.forEach((k, v) -> html.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>"));
        html.append("</dl></details></td><td>");
        rates(html, instance, rates);
        html.append("</td></tr>");
    }

    private static void rates(StringBuilder html, MeshSnapshot.Instance instance, CallRates rates) {
        String problem = rates.problem(instance.id());
        if (problem != null) {
            html.append("<span class=\"problem\">").append(esc(problem)).append("</span>");
        } else if (instance.rates().isEmpty() && instance.status() != HealthStatus.PASSING) {
            html.append("<span class=\"muted\">not read: only passing instances are</span>");
        } else if (instance.rates().isEmpty()) {
            html.append("<span class=\"muted\">measuring…</span>");
        } else {
            html.append("<ul class=\"rates\">");
            instance.rates().forEach((method, rate) -> html.append("<li><code>").append(esc(method)).append("</code> ")
                    .append(Html.rate(rate)).append("</li>"));
            html.append("</ul>");
        }
    }

    private void intentions(StringBuilder html, MeshSnapshot mesh) {
        html.append("<section aria-labelledby=\"intentions-h\"><h2 id=\"intentions-h\">Intentions (Connect)</h2><p class=\"links\">");
        options.consulUi().ifPresent(ui -> html.append(Html.externalLink(ui + "/intentions", "Consul UI: intentions")));
        html.append("</p>");
        Optional<String> problem = mesh.intentionsProblem();
        if (problem.isPresent()) {
            html.append("<p class=\"problem\">The intentions could not be read: ").append(esc(problem.get())).append("</p>");
        } else if (mesh.intentions().isEmpty()) {
            html.append("<p>This registry keeps no intentions.</p>");
        } else if (mesh.intentions().get().isEmpty()) {
            html.append("<p>No intention is defined: Consul's default policy decides.</p>");
        } else {
            html.append("<table><caption>Who may call whom, most specific first</caption><thead><tr>")
                    .append("<th scope=\"col\">Source</th><th scope=\"col\">Destination</th><th scope=\"col\">Action</th>")
                    .append("<th scope=\"col\">Description</th></tr></thead><tbody>");
            for (Intention intention : mesh.intentions().get()) {
                html.append("<tr><td>").append(esc(intention.source())).append("</td><td>").append(esc(intention.destination()))
                        .append("</td><td><span class=\"action ").append(intention.action().label()).append("\">")
                        .append(intention.action().label()).append("</span></td><td>").append(esc(intention.description()))
                        .append("</td></tr>");
            }
            html.append("</tbody></table>");
        }
        html.append("</section>");
    }

    static String prometheusGraph(URI prometheus, String service) {
        String expr = "sum by (instance, grpc_method) (rate(" + CallRates.COUNTER + "{service=\"" + service + "\"}[1m]))";
        return prometheus + "/graph?g0.expr=" + Html.query(expr) + "&g0.tab=0&g0.range_input=15m";
    }
}
