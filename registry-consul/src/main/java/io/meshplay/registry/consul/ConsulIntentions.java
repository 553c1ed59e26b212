package io.meshplay.registry.consul;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshplay.registry.Intention;
import io.meshplay.registry.IntentionAdministration;
import io.meshplay.registry.RegistryException;
import org.kiwiproject.consul.Consul;

/**
 * Consul's intentions through its HTTP API, for Consul 1.8 and current alike. Consul 1.9 moved intentions
 * into service-intentions config entries and added {@code /v1/connect/intentions/exact?source=&destination=}
 * (GET, PUT as an upsert, DELETE); intentions written there have no ID, so the ID-based 1.8 calls cannot
 * change them. So the first lookup asks {@code exact}: an agent that has it is used through it; a 1.8 agent
 * reads "exact" as an intention ID and answers 400 "UUID must be 36 characters", and is then used through
 * the 1.8 API: the pair looked up with {@code /match?by=destination}, created with POST, changed with PUT
 * and deleted with DELETE by ID. Either way an existing pair is changed, never duplicated.
 *
 * <p>Asks Consul on every call (no cache), with the registry's token, datacenter and timeout. Refusals say
 * which ACL rule is missing ({@code intentions = "read"/"write"} in a {@code service} rule of the
 * destination); the token never appears.
 */
final class ConsulIntentions implements IntentionAdministration {

    private static final String INTENTIONS = "/v1/connect/intentions";

    /** Which API the agent speaks; learnt from the first lookup. */
    private enum Api { UNKNOWN, EXACT, LEGACY }

    /** An intention found with the JSON Consul gave (the 1.8 API needs its ID and keeps its meta on update). */
    private record Found(Intention intention, JsonNode json) {
    }

    private final ConsulHttpCalls http;
    private final Consul consul;
    private final ConsulRegistryOptions options;
    private final ConsulFailures failures;
    private final Runnable ensureOpen;
    private volatile Api api = Api.UNKNOWN;

    ConsulIntentions(ConsulHttpCalls http, Consul consul, ConsulRegistryOptions options, ConsulFailures failures,
                     Runnable ensureOpen) {
        this.http = http;
        this.consul = consul;
        this.options = options;
        this.failures = failures;
        this.ensureOpen = ensureOpen;
    }

    @Override
    public List<Intention> list() {
        ensureOpen.run();
        String action = "list intentions";
        ConsulHttpCalls.Answer answer = call(action, "GET", INTENTIONS, Map.of(), null,
                "intentions:read on the services whose intentions are listed");
        List<Intention> all = new ArrayList<>();
        ConsulIntentionJson.parse(answer.body(), action).forEach(node -> ConsulIntentionJson.intention(node).ifPresent(all::add));
        all.sort(Intention.EVALUATION_ORDER);
        return List.copyOf(all);
    }

    @Override
    public Optional<Intention> find(String source, String destination) {
        ensureOpen.run();
        checkNames(source, destination);
        return lookup(source, destination, "look up intention " + source + " -> " + destination, "read").map(Found::intention);
    }

    @Override
    public Intention put(String source, String destination, Intention.Action action, String description) {
        ensureOpen.run();
        checkNames(source, destination);
        if (action == null) {
            throw new IllegalArgumentException("intention action must be allow or deny");
        }
        String what = action.label() + " " + source + " -> " + destination;
        Optional<Found> existing = lookup(source, destination, what, "write");
        String text = description != null ? description : existing.map(f -> f.intention().description()).orElse("");
        String rule = rule("write", destination);
        if (api == Api.EXACT) {
            call(what, "PUT", INTENTIONS + "/exact", ConsulIntentionJson.pair(source, destination),
                    ConsulIntentionJson.exactBody(action, text), rule);
        } else if (existing.isPresent()) {
            update(what, existing.get(), action, text, rule);
        } else {
            ConsulHttpCalls.Answer created = send(what, "POST", INTENTIONS, Map.of(),
                    ConsulIntentionJson.legacyBody(source, destination, action, text, null));
            if (!created.ok()) {
                // another writer created the pair since the lookup: change theirs instead
                Optional<Found> raced = created.body().contains("duplicate intention")
                        ? lookup(source, destination, what, "write")
                        : Optional.empty();
                if (raced.isEmpty()) {
                    throw failures.answered(what, created.status(), created.body(), rule);
                }
                update(what, raced.get(), action, text, rule);
            }
        }
        return lookup(source, destination, what, "read").map(Found::intention).orElseThrow(() -> new RegistryException(
                "Consul at " + options.address() + " accepted " + what + " but does not list it (deleted at once by someone else?)"));
    }

    @Override
    public boolean delete(String source, String destination) {
        ensureOpen.run();
        checkNames(source, destination);
        String what = "delete intention " + source + " -> " + destination;
        Optional<Found> existing = lookup(source, destination, what, "write");
        if (existing.isEmpty()) {
            return false;
        }
        if (api == Api.EXACT) {
            call(what, "DELETE", INTENTIONS + "/exact", ConsulIntentionJson.pair(source, destination), null,
                    rule("write", destination));
            return true;
        }
        String id = existing.get().intention().id().orElseThrow();
        ConsulHttpCalls.Answer answer = send(what, "DELETE", INTENTIONS + "/" + id, Map.of(), null);
        if (!answer.ok() && answer.body().contains("non-existent intention")) {
            return false; // deleted by someone else since the lookup
        }
        check(what, answer, rule("write", destination));
        return true;
    }

    @Override
    public String description() {
        return "Consul at " + options.address();
    }

    /** Consul answers a list the token may not fully read with fewer intentions, not an error. */
    @Override
    public Optional<String> hidingNote() {
        ensureOpen.run();
        if (!ConsulInspection.aclsEnabled(consul)) {
            return Optional.empty();
        }
        if (!options.token().present()) {
            return Optional.of("Consul at " + options.address() + " has ACLs enabled and no ACL token is configured: it lists "
                    + "only the intentions the anonymous token may read (set registry.consul.token or CONSUL_HTTP_TOKEN)");
        }
        return Optional.of("Consul at " + options.address() + " has ACLs enabled: it lists only intentions whose destination "
                + "the ACL token (registry.consul.token or CONSUL_HTTP_TOKEN) has intentions:read on");
    }

    /**
     * The intention for exactly this pair; learns which API the agent speaks.
     *
     * @param what   the operation it is part of, for the error a person reads
     * @param access what that operation needs on the destination's intentions: read or write
     */
    private Optional<Found> lookup(String source, String destination, String what, String access) {
        String rule = rule(access, destination);
        if (api != Api.LEGACY) {
            ConsulHttpCalls.Answer answer = send(what, "GET", INTENTIONS + "/exact", ConsulIntentionJson.pair(source, destination), null);
            if (answer.status() == 400 && answer.body().contains("UUID")) {
                api = Api.LEGACY;
            } else if (answer.status() == 404) {
                api = Api.EXACT;
                return Optional.empty();
            } else {
                check(what, answer, rule);
                api = Api.EXACT;
                JsonNode json = ConsulIntentionJson.parse(answer.body(), what);
                return ConsulIntentionJson.intention(json).map(i -> new Found(i, json));
            }
        }
        ConsulHttpCalls.Answer answer = call(what, "GET", INTENTIONS + "/match",
                Map.of("by", "destination", "name", destination), null, rule);
        // every intention that applies to the destination, wildcards included: keep the exact pair
        for (JsonNode json : ConsulIntentionJson.parse(answer.body(), what).path(destination)) {
            Optional<Intention> found = ConsulIntentionJson.intention(json).filter(i -> i.samePair(source, destination));
            if (found.isPresent()) {
                return Optional.of(new Found(found.get(), json));
            }
        }
        return Optional.empty();
    }

    private void update(String what, Found existing, Intention.Action action, String description, String rule) {
        Intention current = existing.intention();
        String id = current.id().orElseThrow(() -> new RegistryException("Consul at " + options.address()
                + " gave intention " + current.source() + " -> " + current.destination() + " no ID to change it by"));
        call(what, "PUT", INTENTIONS + "/" + id, Map.of(),
                ConsulIntentionJson.legacyBody(current.source(), current.destination(), action, description, existing.json()), rule);
    }

    private ConsulHttpCalls.Answer call(String what, String method, String path, Map<String, String> query, String json,
                                        String rule) {
        return check(what, send(what, method, path, query, json), rule);
    }

    private ConsulHttpCalls.Answer check(String what, ConsulHttpCalls.Answer answer, String rule) {
        if (!answer.ok()) {
            throw failures.answered(what, answer.status(), answer.body(), rule);
        }
        return answer;
    }

    private ConsulHttpCalls.Answer send(String what, String method, String path, Map<String, String> query, String json) {
        try {
            return http.send(method, path, query, json);
        } catch (IOException e) {
            throw failures.translateForInspection(what, e);
        }
    }

    /** The ACL rule an operation on intentions to {@code destination} needs, as an operator writes it. */
    private static String rule(String access, String destination) {
        if (Intention.WILDCARD.equals(destination)) {
            return "intentions:" + access + " on every service (service_prefix \"\" { intentions = \"" + access + "\" })";
        }
        return "intentions:" + access + " on service '" + destination + "' (service \"" + destination
                + "\" { intentions = \"" + access + "\" })";
    }

    private static void checkNames(String source, String destination) {
        Intention.requireName("source", source);
        Intention.requireName("destination", destination);
    }
}
