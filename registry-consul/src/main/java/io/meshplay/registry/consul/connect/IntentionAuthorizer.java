package io.meshplay.registry.consul.connect;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshplay.retry.OutageLog;
import io.meshplay.security.Authorization;
import io.meshplay.security.CallAuthorizer;
import io.meshplay.security.PeerIdentity;

/**
 * Consul intentions for every inbound call: the agent's {@code /v1/agent/connect/authorize} answers
 * whether the caller's SPIFFE ID may call the target, and the answer is cached per (caller, target).
 * The cache is emptied whenever the intentions change ({@code intentionsChanged()}, driven by a blocking
 * query on {@code /v1/connect/intentions}), so a flipped intention takes effect as soon as Consul has it.
 *
 * <p>Answers are cached only while that watch is healthy: without it a change could go unnoticed. When
 * the agent cannot be asked, the call is denied (fail closed) and the reason sent to the caller says so
 * without the agent's details, which go to the log once per outage.
 */
final class IntentionAuthorizer implements CallAuthorizer {

    static final String PERMISSIVE_REASON = "permissive: unauthenticated caller";
    private static final int MAX_CACHED = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Key(String source, String target) {
    }

    private final AgentApi api;
    private final AgentErrors errors;
    private final boolean permissive;
    private final java.util.function.BooleanSupplier watchHealthy;
    private final Map<Key, Authorization> cache = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final OutageLog outage;

    IntentionAuthorizer(AgentApi api, AgentErrors errors, boolean permissive, java.util.function.BooleanSupplier watchHealthy) {
        this.api = api;
        this.errors = errors;
        this.permissive = permissive;
        this.watchHealthy = watchHealthy;
        this.outage = new OutageLog("connect: authorizing calls with the agent at " + api.address());
    }

    /** The intentions changed: forget every answer, and any answer being fetched now. */
    void intentionsChanged(String ignoredBody) {
        generation.incrementAndGet();
        cache.clear();
    }

    int cached() {
        return cache.size();
    }

    @Override
    public Authorization authorize(Optional<PeerIdentity> peer, String service) {
        if (peer.isEmpty()) {
            return permissive ? Authorization.allow(PERMISSIVE_REASON)
                    : Authorization.deny("unauthenticated caller: '" + service + "' accepts only mutual TLS with a Connect "
                    + "certificate (tls.connect.permissive is off)");
        }
        Authorization fast = cache.get(new Key(peer.get().uri(), service));
        if (fast != null) {
            return fast;
        }
        Optional<SpiffeId> source = SpiffeId.parse(peer.get().uri());
        if (source.isEmpty()) {
            return Authorization.deny("caller " + peer.get().uri() + " has no Connect service identity "
                    + "(spiffe://<trust-domain>/ns/default/dc/<dc>/svc/<name>); '" + service + "' cannot be called by it");
        }
        Key key = new Key(source.get().uri(), service);
        Authorization known = cache.get(key);
        if (known != null) {
            return known;
        }
        long before = generation.get();
        Optional<Authorization> asked = ask(source.get(), peer.get(), service);
        if (asked.isEmpty()) {
            return Authorization.deny("cannot check intentions for " + source.get().service() + " -> " + service
                    + ": the server's Consul agent did not answer (see the server's log)");
        }
        if (watchHealthy.getAsBoolean() && generation.get() == before) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(key, asked.get());
        }
        return asked.get();
    }

    private Optional<Authorization> ask(SpiffeId source, PeerIdentity peer, String target) {
        ObjectNode request = JSON.createObjectNode()
                .put("Target", target)
                .put("ClientCertURI", source.uri())
                .put("ClientCertSerial", ConnectCredentials.serialHex(peer.certificate()));
        String what = "the authorization of " + source.service() + " -> " + target;
        try {
            AgentAnswer answer = api.post("/v1/agent/connect/authorize", request.toString());
            if (!answer.ok()) {
                AgentException e = errors.refused(answer, what,
                        "service:write on '" + target + "', needed to check intentions for calls to it");
                outage.failure(e.permanent() ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                        e.getMessage() + "; calls are denied until it works");
                return Optional.empty();
            }
            JsonNode json = JSON.readTree(answer.body());
            outage.success();
            String reason = json.path("Reason").asText("");
            String names = source.service() + " -> " + target;
            return Optional.of(json.path("Authorized").asBoolean(false)
                    ? Authorization.allow("intentions allow " + names + " (" + reason + ")")
                    : Authorization.deny("intentions deny " + names + " (" + reason + ")"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            outage.failure(errors.unreadable(what, e).getMessage() + "; calls are denied until it works");
            return Optional.empty();
        } catch (IOException e) {
            outage.failure(errors.unreachable(e, what).getMessage() + "; calls are denied until it works");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
