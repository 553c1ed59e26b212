package io.meshplay.registry.consul.connect;

import java.math.BigInteger;
import java.util.Optional;

/**
 * One answer of the agent's HTTP API.
 *
 * @param status HTTP status
 * @param body   the body as text
 * @param index  {@code X-Consul-Index}, for the next blocking query
 */
record AgentAnswer(int status, String body, Optional<BigInteger> index) {

    boolean ok() {
        return status / 100 == 2;
    }

    /** Consul's plain-text error, short and single-line, or empty (never an HTML page or a JSON body). */
    String said() {
        String text = body == null ? "" : body.strip();
        boolean plain = !text.isEmpty() && !text.contains("<") && !text.contains("\n") && text.length() <= 200;
        return plain ? text : "";
    }

    @Override
    public String toString() {
        // bodies hold certificates and private keys: never print them
        return "AgentAnswer[status=" + status + ", index=" + index.map(String::valueOf).orElse("-") + "]";
    }
}
