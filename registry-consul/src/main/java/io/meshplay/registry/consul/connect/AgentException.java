package io.meshplay.registry.consul.connect;

/**
 * A failure to get what Connect needs from the Consul agent, worded for an operator: the agent's address,
 * what it refused and which setting or ACL rule fixes it. Never a token, a key or a request URL with one.
 */
final class AgentException extends RuntimeException {

    private final boolean permanent;

    /**
     * @param permanent true when retrying will not help until someone changes Consul or the config
     *                  (Connect off, an ACL rule missing), logged as an error rather than a warning
     */
    AgentException(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    boolean permanent() {
        return permanent;
    }
}
