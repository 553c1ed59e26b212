package io.meshplay.dashboard;

import static io.meshplay.dashboard.Html.esc;

/** The queues part of the page: lengths, poisoned messages with their reasons, replay and purge buttons. */
final class QueuesHtml {

    private QueuesHtml() {
    }

    static String render(QueueSnapshot snapshot) {
        StringBuilder html = new StringBuilder();
        if (snapshot.problem().isPresent()) {
            html.append("<p class=\"problem\">").append(esc(snapshot.problem().get())).append(".</p>");
            return html.toString();
        }
        html.append("<p class=\"source\">Broker ").append(esc(snapshot.broker().orElse(""))).append(".</p>");
        if (snapshot.queues().isEmpty()) {
            html.append("<p>No queue is configured (dashboard.queues).</p>");
        }
        for (QueueSnapshot.Queue queue : snapshot.queues()) {
            queue(html, queue);
        }
        return html.toString();
    }

    private static void queue(StringBuilder html, QueueSnapshot.Queue queue) {
        String id = "queue-" + Html.idOf(queue.name());
        html.append("<article class=\"queue\" data-queue=\"").append(esc(queue.name())).append("\" data-poisoned=\"")
                .append(queue.poisonLength())
                .append("\" aria-labelledby=\"")
                .append(id).append("\"><h3 id=\"").append(id).append("\">").append(esc(queue.name())).append("</h3><dl class=\"inline\">")
                .append("<dt>Waiting</dt><dd>").append(queue.length().isPresent() ? "about " + queue.length().getAsLong() : "—")
                .append("</dd><dt>Poisoned (").append(esc(queue.poisonName())).append(")</dt><dd>")
                .append(queue.poisonLength()).append("</dd></dl>");
        queue.problem().ifPresent(p -> html.append("<p class=\"problem\">").append(esc(p)).append("</p>"));
        if (queue.poisonLength() > 0) {
            String q = esc(queue.name());
            html.append("<p class=\"actions\"><button type=\"button\" id=\"replay-").append(Html.idOf(queue.name()))
                    .append("\" data-action=\"replay\" data-queue=\"").append(q).append("\">Replay ")
                    .append(esc(queue.poisonName())).append("</button> <button type=\"button\" class=\"danger\" id=\"purge-")
                    .append(Html.idOf(queue.name())).append("\" data-action=\"purge\" data-queue=\"").append(q)
                    .append("\" data-count=\"").append(queue.poisonLength()).append("\">Purge ")
                    .append(esc(queue.poisonName())).append("…</button></p>");
        }
        if (!queue.poisoned().isEmpty()) {
            html.append("<table><caption>Poisoned messages of ").append(esc(queue.name()))
                    .append(" (first ").append(QueueSnapshot.PEEK).append(" at most)</caption><thead><tr>")
                    .append("<th scope=\"col\">Message</th><th scope=\"col\">Reason</th><th scope=\"col\">Error</th>")
                    .append("<th scope=\"col\">Handler</th><th scope=\"col\">Attempts</th><th scope=\"col\">Poisoned at</th>")
                    .append("<th scope=\"col\">Body</th></tr></thead><tbody>");
            for (QueueSnapshot.Poisoned p : queue.poisoned()) {
                html.append("<tr><th scope=\"row\">").append(esc(p.messageId() != null ? p.messageId() : p.queueId()))
                        .append("</th><td>").append(esc(p.reason())).append("</td><td>").append(esc(p.error()))
                        .append("</td><td>").append(esc(p.handler())).append("</td><td>").append(esc(p.attempts()))
                        .append("</td><td>").append(p.insertedAt() == null ? "" : esc(p.insertedAt())).append("</td><td><code>")
                        .append(esc(p.body())).append("</code>");
                if (p.truncated()) {
                    html.append(" <strong>truncated copy: not replayable</strong>");
                }
                html.append("</td></tr>");
            }
            html.append("</tbody></table>");
        }
        html.append("</article>");
    }
}
