package io.meshplay.apps.server.interop;

import java.util.List;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Upstream defects the suite expects, in one place: each row is a transport, client and case that fails
 * today, with the error observed. A row's case must fail exactly that way; if it passes, the suite fails
 * and says the defect appears fixed, so the row is removed and the decision it drove is revisited.
 */
final class KnownDefects {

    /** An upstream defect and what the suite should say when it stops reproducing. */
    enum Upstream {
        HELIDON_HPACK("Helidon's HPACK defect", "Helidon 4.4.0's HTTP/2 (io.helidon.http.http2.Http2Headers) refuses a"
                + " pseudo-header whose name is an HPACK literal, which RFC 7541 allows and gRPC C-core sends for :path;"
                + " it answers GOAWAY PROTOCOL_ERROR to every call", "re-evaluate the default transport"),
        HELIDON_UNKNOWN_METHOD("Helidon's unknown-method defect", "Helidon 4.4.0's gRPC routing answers a method it does"
                + " not serve with HTTP 404 and grpc-status 5 (NOT_FOUND); gRPC wants :status 200 and grpc-status 12"
                + " (UNIMPLEMENTED). grpc-java goes by the HTTP status (UNIMPLEMENTED), grpc-js by grpc-status (NOT_FOUND)",
                "check clients that relied on NOT_FOUND"),
        HELIDON_BLOCKED_RESET("Helidon's blocked-writer reset defect", "when a client resets a server stream (deadline) while"
                + " Helidon 4.4.0's writer waits for HTTP/2 flow-control credit, the call is sometimes not cancelled until the"
                + " wait times out (~15 s, logged SEVERE 'Flow control update wait time-out'): onCancel comes late and the call"
                + " counts as in flight meanwhile", "tighten the deadline case's server-side bound"),
        HELIDON_REPEATED_CANCEL("Helidon's repeated-cancel defect", "Helidon 4.4.0 sometimes calls ServerCall.Listener.onCancel"
                + " twice for one call (on RST_STREAM, again when the connection closes); grpc-java promises once, and"
                + " ExampleService.openStreams() goes negative", "make repeated cancels fail on every transport");

        final String title;
        final String what;
        final String then;

        Upstream(String title, String what, String then) {
            this.title = title;
            this.what = what;
            this.then = then;
        }
    }

    /** @param details a regular expression found in the status details ("" matches any) */
    record Defect(String transport, String client, String kase, String code, String details, Upstream upstream) {
    }

    /** C-core reports the GOAWAY, or the broken pipe when it was still writing as Helidon closed the connection. */
    private static final String GOAWAY = "GOAWAY received|Broken pipe";

    // transport, client, case: expected status code and details (observed 2026-11-27)
    static final List<Defect> TABLE = List.of(
            new Defect("helidon", "python", "unary", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "metadata", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "stream-100k", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "stream-1m-slow-reader", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "cancel", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "pingpong", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "deadline", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "unimplemented", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "health-check", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "health-watch", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "reflection-v1alpha", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "python", "reflection-v1", "UNAVAILABLE", GOAWAY, Upstream.HELIDON_HPACK),
            new Defect("helidon", "node", "unimplemented", "NOT_FOUND", "", Upstream.HELIDON_UNKNOWN_METHOD));

    /**
     * Server-side checks that fail on a transport only sometimes (a race inside the transport). They cannot be
     * expected to reproduce, so they are tolerated there and reported when seen; on any other transport they fail.
     */
    record Racy(String transport, String check, Upstream upstream) {
    }

    static final String DEADLINE_STREAM_ENDED = "server stream ended within 2 s of the client's deadline";
    static final String SINGLE_CANCEL = "onCancel at most once per call";

    static final List<Racy> RACY = List.of(
            new Racy("helidon", DEADLINE_STREAM_ENDED, Upstream.HELIDON_BLOCKED_RESET),
            new Racy("helidon", SINGLE_CANCEL, Upstream.HELIDON_REPEATED_CANCEL));

    private KnownDefects() {
    }

    static Optional<Racy> racy(String transport, String check) {
        return RACY.stream().filter(r -> r.transport().equals(transport) && r.check().equals(check)).findFirst();
    }

    static Optional<Defect> find(String transport, String client, String kase) {
        return TABLE.stream()
                .filter(d -> d.transport().equals(transport) && d.client().equals(client) && d.kase().equals(kase))
                .findFirst();
    }

    /**
     * Checks a result against its row.
     *
     * @throws AssertionError if the case passed (the defect appears fixed) or failed some other way
     */
    static void assertReproduces(Defect d, JsonObject result) {
        if (result.get("ok").getAsBoolean()) {
            throw new AssertionError(d.upstream().title + " appears fixed: " + d.client() + " " + d.kase()
                    + " now passes on the " + d.transport() + " transport — remove the known-defect entry in "
                    + KnownDefects.class.getSimpleName() + " and " + d.upstream().then + ". (" + d.upstream().what + ")");
        }
        String code = text(result, "code");
        String details = text(result, "details");
        if (!d.code().equals(code) || !java.util.regex.Pattern.compile(d.details()).matcher(details).find()) {
            throw new AssertionError(d.client() + " " + d.kase() + " on " + d.transport() + " was expected to fail with "
                    + d.code() + " '" + d.details() + "' (" + d.upstream().title + ") but failed otherwise: " + result);
        }
    }

    static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
