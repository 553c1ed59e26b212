package io.meshplay.registry.consul;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshplay.config.Secret;
import io.meshplay.registry.RegistryException;
import org.kiwiproject.consul.ConsulException;

/**
 * Turns consul-client failures into {@link RegistryException}s a user can act on: the agent's address,
 * whether the ACL token was missing or rejected, what Consul said. Never the token itself, and never the
 * client's own messages verbatim, since those carry request URLs.
 */
final class ConsulFailures {

    private static final Pattern STATUS_BODY = Pattern.compile("status \\[(\\d+)]: ?(.*)", Pattern.DOTALL);

    private final URI address;
    private final Secret token;

    ConsulFailures(ConsulRegistryOptions options) {
        this.address = options.address();
        this.token = options.token();
    }

    /**
     * @param action what was attempted, e.g. {@code register example-127.0.0.1-8080}
     */
    RegistryException translate(String action, Throwable error) {
        if (error instanceof RegistryException re) {
            return re;
        }
        int status = status(error);
        if (status > 0) {
            return answered(action, status, body(error), null);
        }
        Throwable io = ioCause(error);
        String reason = io == null ? error.getClass().getSimpleName() : describe(io);
        return new RegistryException("Consul agent at " + address + " is unreachable (" + reason + ") during " + action,
                sanitizedCause(io));
    }

    /**
     * Consul answered {@code action} with an error status: the sentence for it, quoting Consul's body when it
     * is one short line of plain text.
     *
     * @param aclRule what a refusal (401/403) lacks, in words, e.g. {@code intentions:write on service 'db'};
     *                null for the generic "the ACL rule this needs"
     */
    /** As {@link #answered(String, int, String, String)} with the generic "the ACL rule this needs". */
    RegistryException answered(String action, int status, String body) {
        return answered(action, status, body, null);
    }

    RegistryException answered(String action, int status, String body, String aclRule) {
        String plain = scrub(plain(body));
        String said = plain.isEmpty() ? "" : "; Consul said: " + plain;
        if (status == 403 || status == 401) {
            if (!token.present()) {
                return new RegistryException("Consul at " + address + " denied " + action + ": no ACL token is configured "
                        + "(set registry.consul.token or CONSUL_HTTP_TOKEN)" + (aclRule == null ? "" : "; it needs " + aclRule)
                        + said);
            }
            if (plain.toLowerCase().contains("acl not found")) {
                return new RegistryException("Consul at " + address + " rejected the ACL token (registry.consul.token or "
                        + "CONSUL_HTTP_TOKEN) for " + action + ": the token is unknown to Consul (ACL not found)");
            }
            return new RegistryException("Consul at " + address + " rejected the ACL token for " + action
                    + ": permission denied, the token lacks " + (aclRule == null ? "the ACL rule this needs" : aclRule) + said);
        }
        return new RegistryException(byStatus(action, status, said));
    }

    /**
     * A sentence per kind of answer: Consul's bodies are short plain text ("Missing service name", "No
     * cluster leader"), quoted when they are; anything else (an HTML redirect page) is left out.
     */
    private String byStatus(String action, int status, String said) {
        String at = "Consul at " + address;
        if (status == 400) {
            return at + " rejected " + action + " as a bad request (HTTP 400)" + said;
        }
        if (status == 404) {
            return at + " found nothing to " + action + " (HTTP 404): the name or path is not known to Consul" + said;
        }
        if (status >= 300 && status < 400) {
            return at + " answered " + action + " with a redirect (HTTP " + status + "): a name with '/', '..' or "
                    + "'%' in it does not make a usable Consul path";
        }
        if (status >= 500) {
            return at + " failed to " + action + " (HTTP " + status + ", an error inside Consul)" + said;
        }
        return at + " refused " + action + " with HTTP " + status + said;
    }

    /**
     * As {@link #translate}, for a person at a tool rather than a server's log: an unreachable agent is
     * told with the config key that sets its address, since pointing the tool elsewhere is the fix.
     */
    RegistryException translateForInspection(String action, Throwable error) {
        if (error instanceof RegistryException || !unreachable(error)) {
            return translate(action, error);
        }
        Throwable io = ioCause(error);
        return new RegistryException("cannot reach Consul at " + address + " (registry.consul.address) to " + action + ": "
                + inWords(io), sanitizedCause(io));
    }

    /** What a network failure means to a person; the class stays in the cause, for --verbose. */
    private String inWords(Throwable io) {
        if (io instanceof ConnectException) {
            return "connection refused (is the agent running there?)";
        }
        if (io instanceof UnknownHostException) {
            return "unknown host " + scrub(io.getMessage());
        }
        if (io instanceof InterruptedIOException || io instanceof HttpTimeoutException) {
            return "no answer within registry.consul.request-timeout";
        }
        if (io == null || io.getMessage() == null || io.getMessage().isBlank()) {
            return "the connection failed";
        }
        return scrub(io.getMessage());
    }

    /** True when the failure was the network, not Consul answering with an error. */
    static boolean unreachable(Throwable error) {
        return status(error) <= 0;
    }

    static int status(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConsulException ce && ce.hasCode()) {
                return ce.getCode();
            }
        }
        return -1;
    }

    /** Consul's answer as the client's exception quotes it; {@link #plain} decides whether a person sees it. */
    private static String body(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConsulException ce && ce.hasCode() && ce.getMessage() != null) {
                Matcher m = STATUS_BODY.matcher(ce.getMessage());
                if (m.find()) {
                    return m.group(2);
                }
            }
        }
        return "";
    }

    /**
     * Consul's own answer when it is one short line of plain text; empty for HTML (a Go redirect page),
     * several lines or anything long, which would only bury the sentence around it.
     */
    private static String plain(String body) {
        if (body == null) {
            return "";
        }
        String text = body.strip();
        boolean plain = !text.contains("<") && !text.contains("\n") && text.length() <= 200
                && text.chars().noneMatch(Character::isISOControl);
        return plain ? text : "";
    }

    private static Throwable ioCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return t;
            }
        }
        return null;
    }

    private static String describe(Throwable io) {
        String message = io.getMessage();
        return io.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Keeps the IO exception's type and message (no URL in them) but not the client's wrapper. */
    private RegistryException sanitizedCause(Throwable io) {
        if (io == null) {
            return null;
        }
        RegistryException cause = new RegistryException(scrub(describe(io)));
        cause.setStackTrace(io.getStackTrace());
        return cause;
    }

    private String scrub(String text) {
        if (text == null) {
            return "";
        }
        return token.present() ? text.replace(token.value(), "(token)") : text;
    }
}
