package io.meshplay.registry.consul.connect;

import java.io.IOException;
import java.net.URI;

import io.meshplay.config.Secret;

/** Turns the agent's refusals into sentences that say what to change; never quotes the token. */
final class AgentErrors {

    /** What Consul 1.8 answers (HTTP 500) on a Connect endpoint when {@code connect.enabled} is false. */
    static final String CONNECT_DISABLED = "Connect must be enabled";

    private final URI address;
    private final Secret token;

    AgentErrors(URI address, Secret token) {
        this.address = address;
        this.token = token;
    }

    /**
     * @param what       what was asked for, e.g. {@code the Connect certificate of 'example'}
     * @param permission the ACL rule it needs, e.g. {@code service:write on 'example'}, and what for
     */
    AgentException refused(AgentAnswer answer, String what, String permission) {
        String said = scrub(answer.said());
        if (said.contains(CONNECT_DISABLED)) {
            return new AgentException("Connect is not enabled on the Consul agent at " + address
                    + " (it answered '" + said + "'); set connect { enabled = true } in the agent's configuration", true);
        }
        if (answer.status() == 403 || answer.status() == 401) {
            if (said.toLowerCase().contains("acl not found")) {
                return new AgentException("the Consul agent at " + address + " does not know the ACL token "
                        + "(registry.consul.token or CONSUL_HTTP_TOKEN): ACL not found, while fetching " + what, true);
            }
            String none = token.present() ? "" : " (no ACL token is configured: set registry.consul.token or CONSUL_HTTP_TOKEN)";
            return new AgentException("the ACL token lacks " + permission + none, true);
        }
        String quoted = said.isEmpty() ? "" : ": " + said;
        return new AgentException("the Consul agent at " + address + " refused " + what + " with HTTP " + answer.status() + quoted,
                false);
    }

    AgentException unreachable(IOException e, String what) {
        return new AgentException("the Consul agent at " + address + " is unreachable (" + scrub(AgentApi.describe(e))
                + ") while fetching " + what, false);
    }

    AgentException unreadable(String what, Exception e) {
        return new AgentException("the Consul agent at " + address + " sent " + what + " that cannot be read ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + scrub(e.getMessage())) + ")", false);
    }

    private String scrub(String text) {
        return token.present() && text != null ? text.replace(token.value(), "(token)") : String.valueOf(text);
    }
}
