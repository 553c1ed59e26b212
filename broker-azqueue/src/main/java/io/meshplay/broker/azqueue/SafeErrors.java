package io.meshplay.broker.azqueue;

import java.util.List;
import java.util.regex.Pattern;

import com.azure.core.exception.HttpResponseException;
import com.azure.storage.queue.models.QueueStorageException;

/**
 * Turns SDK failures into text that is safe to log and to throw: the SDK's own messages quote
 * response bodies (real Azure echoes the request signature there) and, for some I/O errors, request
 * URLs with SAS query strings. Nothing from an SDK exception leaves this broker without passing here.
 */
final class SafeErrors {

    private static final String HIDDEN = "***";
    private static final List<Pattern> SECRET_PATTERNS = List.of(
            Pattern.compile("(?i)(AccountKey|SharedAccessSignature)=[^;\\s\"']*"),
            Pattern.compile("(?i)([?&]sig)=[^&\\s\"']*"),
            Pattern.compile("(?i)(Authorization:?\\s*SharedKey\\s+[^:\\s]+):\\S+"),
            Pattern.compile("(?i)(signature found in the HTTP request) '[^']*'"),
            Pattern.compile("(?i)(string to sign:) '[^']*'"));

    private final List<String> secrets;

    /** @param secrets the configured key, SAS token and connection string (blank ones are ignored) */
    SafeErrors(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 8).toList();
    }

    /** HTTP 401/403: wrong key, expired SAS, missing permission. Retrying will not help. */
    static boolean isAuthFailure(Throwable e) {
        return e instanceof HttpResponseException h && h.getResponse() != null
                && (h.getResponse().getStatusCode() == 401 || h.getResponse().getStatusCode() == 403);
    }

    /** How loud an outage caused by {@code e} starts: an error for refused credentials, which never heal. */
    static System.Logger.Level outageLevel(Throwable e) {
        return isAuthFailure(e) ? System.Logger.Level.ERROR : System.Logger.Level.WARNING;
    }

    /**
     * The service refused this message text for good (HTTP 413 {@code RequestBodyTooLarge}, or a 400 such as
     * {@code MessageTooLarge}): sending the same text again cannot succeed.
     */
    static boolean isRefusedForGood(Throwable e) {
        return e instanceof HttpResponseException h && h.getResponse() != null
                && (h.getResponse().getStatusCode() == 413 || h.getResponse().getStatusCode() == 400);
    }

    /**
     * No answer from the service at all: connection refused or closed, a timeout. The JDK HTTP client reports
     * these as an I/O exception somewhere in the chain, without an HTTP response.
     */
    static boolean isUnreachable(Throwable e) {
        if (e instanceof HttpResponseException) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the service could not be reached, in words: a user acts on "connection refused", not on
     * {@code UncheckedIOException (ClosedChannelException)}. Falls back to the exception's own words.
     */
    String networkReason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.nio.channels.ClosedChannelException) {
                // reactor-netty reports a refused connect as a closed channel
                return "connection refused or closed";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
                return "no answer in time";
            }
        }
        return describe(e);
    }

    /** The queue itself is missing (not a message: that is {@code MessageNotFound}). */
    static boolean isQueueNotFound(Throwable e) {
        return e instanceof QueueStorageException q && q.getStatusCode() == 404
                && q.getErrorCode() != null && "QueueNotFound".equals(q.getErrorCode().toString());
    }

    /** The message or its pop receipt is gone: another consumer took it after our lease lapsed. */
    static boolean isLeaseLost(Throwable e) {
        return e instanceof QueueStorageException q && (q.getStatusCode() == 404 || q.getStatusCode() == 400)
                && q.getErrorCode() != null
                && ("MessageNotFound".equals(q.getErrorCode().toString()) || "PopReceiptMismatch".equals(q.getErrorCode().toString()));
    }

    /** One line, no secrets: for HTTP errors status and error code, otherwise the root cause. */
    String describe(Throwable e) {
        if (isAuthFailure(e)) {
            HttpResponseException h = (HttpResponseException) e;
            return "authentication failed (HTTP " + h.getResponse().getStatusCode() + errorCode(e)
                    + "): check the account name and key, the SAS token or the connection string";
        }
        if (e instanceof HttpResponseException h && h.getResponse() != null) {
            String service = e instanceof QueueStorageException q ? firstLine(q.getServiceMessage()) : "";
            if (service.startsWith("Status code ")) {
                // the SDK's stand-in when it did not parse the error body: it quotes the raw XML, the code says it all
                service = "";
            }
            return "HTTP " + h.getResponse().getStatusCode() + errorCode(e) + (service.isEmpty() ? "" : ": " + redact(service));
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()));
        if (root != e && e.getMessage() != null && !(e instanceof RuntimeException && e.getClass() == RuntimeException.class)) {
            text = e.getClass().getSimpleName() + " (" + text + ")";
        }
        return redact(text);
    }

    /**
     * A copy of {@code e} to attach as a cause: same classes' names, stack traces and chain, with
     * every message redacted, so a logged stack trace cannot carry a secret either.
     */
    Throwable sanitized(Throwable e) {
        if (e == null) {
            return null;
        }
        String message = e instanceof HttpResponseException ? describe(e) : redact(String.valueOf(e.getMessage()));
        SanitizedException copy = new SanitizedException(e.getClass().getName() + ": " + message,
                e.getCause() == e ? null : sanitized(e.getCause()));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    String redact(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, HIDDEN);
        }
        for (Pattern pattern : SECRET_PATTERNS) {
            out = pattern.matcher(out).replaceAll("$1=" + HIDDEN);
        }
        return out;
    }

    private static String errorCode(Throwable e) {
        return e instanceof QueueStorageException q && q.getErrorCode() != null ? " " + q.getErrorCode() : "";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** Stands in for an SDK exception whose message was redacted. */
    static final class SanitizedException extends RuntimeException {
        SanitizedException(String message, Throwable cause) {
            super(message, cause, false, true);
        }
    }
}
