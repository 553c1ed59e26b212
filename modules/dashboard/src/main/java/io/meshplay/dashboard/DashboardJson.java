package io.meshplay.dashboard;

import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.meshplay.broker.PoisonReplay;
import io.meshplay.registry.InstanceCheck;
import io.meshplay.registry.Intention;

/** The JSON the dashboard's API answers: the same snapshots the page shows, for scripts and tests. */
final class DashboardJson {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private DashboardJson() {
    }

    static String mesh(MeshSnapshot mesh, CallRates rates) {
        JsonObject root = new JsonObject();
        root.addProperty("registry", mesh.registry());
        root.addProperty("problem", mesh.problem().orElse(null));
        root.addProperty("connect", mesh.connect());
        JsonArray services = new JsonArray();
        for (MeshSnapshot.Service service : mesh.services()) {
            JsonObject s = new JsonObject();
            s.addProperty("name", service.name());
            JsonArray instances = new JsonArray();
            service.instances().forEach(i -> instances.add(instance(i, rates)));
            s.add("instances", instances);
            services.add(s);
        }
        root.add("services", services);
        mesh.intentions().ifPresent(list -> root.add("intentions", intentions(list)));
        mesh.intentionsProblem().ifPresent(p -> root.addProperty("intentionsProblem", p));
        return GSON.toJson(root);
    }

    private static JsonObject instance(MeshSnapshot.Instance i, CallRates rates) {
        JsonObject o = new JsonObject();
        o.addProperty("id", i.id());
        o.addProperty("address", i.instance().address());
        o.addProperty("version", i.instance().version());
        o.addProperty("status", i.status().label());
        JsonArray checks = new JsonArray();
        for (InstanceCheck check : i.checks()) {
            JsonObject c = new JsonObject();
            c.addProperty("id", check.id());
            c.addProperty("name", check.name());
            c.addProperty("status", check.status().label());
            c.addProperty("output", check.output());
            checks.add(c);
        }
        o.add("checks", checks);
        o.add("tags", GSON.toJsonTree(i.instance().tags()));
        o.add("metadata", GSON.toJsonTree(i.instance().metadata()));
        o.addProperty("transport", i.transport());
        o.addProperty("tlsMode", i.tlsMode());
        o.addProperty("identity", i.identity());
        o.add("callsPerSecond", GSON.toJsonTree(i.rates()));
        o.addProperty("ratesProblem", rates.problem(i.id()));
        return o;
    }

    private static JsonArray intentions(List<Intention> list) {
        JsonArray array = new JsonArray();
        for (Intention intention : list) {
            JsonObject o = new JsonObject();
            o.addProperty("source", intention.source());
            o.addProperty("destination", intention.destination());
            o.addProperty("action", intention.action().label());
            o.addProperty("description", intention.description());
            array.add(o);
        }
        return array;
    }

    static String queues(QueueSnapshot snapshot) {
        JsonObject root = new JsonObject();
        root.addProperty("broker", snapshot.broker().orElse(null));
        root.addProperty("problem", snapshot.problem().orElse(null));
        JsonArray queues = new JsonArray();
        for (QueueSnapshot.Queue queue : snapshot.queues()) {
            JsonObject q = new JsonObject();
            q.addProperty("name", queue.name());
            q.addProperty("length", queue.length().isPresent() ? queue.length().getAsLong() : null);
            q.addProperty("poisonQueue", queue.poisonName());
            q.addProperty("poisonLength", queue.poisonLength());
            q.addProperty("problem", queue.problem().orElse(null));
            JsonArray poisoned = new JsonArray();
            for (QueueSnapshot.Poisoned p : queue.poisoned()) {
                JsonObject m = new JsonObject();
                m.addProperty("id", p.queueId());
                m.addProperty("messageId", p.messageId());
                m.addProperty("reason", p.reason());
                m.addProperty("error", p.error());
                m.addProperty("handler", p.handler());
                m.addProperty("attempts", p.attempts());
                m.addProperty("insertedAt", p.insertedAt() == null ? null : p.insertedAt().toString());
                m.addProperty("body", p.body());
                m.addProperty("truncated", p.truncated());
                poisoned.add(m);
            }
            q.add("poisoned", poisoned);
            queues.add(q);
        }
        root.add("queues", queues);
        return GSON.toJson(root);
    }

    static String replayed(String queue, PoisonReplay.Result result) {
        JsonObject root = new JsonObject();
        root.addProperty("queue", queue);
        JsonArray replayed = new JsonArray();
        for (PoisonReplay.Replayed r : result.replayed()) {
            JsonObject o = new JsonObject();
            o.addProperty("id", r.queueId());
            o.addProperty("messageId", r.messageId());
            replayed.add(o);
        }
        root.add("replayed", replayed);
        root.addProperty("stoppedAt", result.truncatedCopy().map(c -> "message " + c.id()
                + " is a truncated copy, not the original: it stays in the poison queue (purge removes it)").orElse(null));
        return GSON.toJson(root);
    }

    static String object(Map<String, ?> fields) {
        return GSON.toJson(fields);
    }

    /** Every error the API answers: {@code {"status": 400, "message": "..."}}, never a stack trace. */
    static String error(int status, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("status", status);
        o.addProperty("message", message);
        return GSON.toJson(o);
    }

    static JsonObject parseObject(String body) {
        return GSON.fromJson(body, JsonObject.class);
    }
}
