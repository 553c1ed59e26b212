package io.meshplay.registry.consul.connect;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import io.meshplay.config.Secret;
import io.meshplay.registry.consul.ConsulRegistryOptions;

/**
 * The Connect endpoints of the local Consul agent over its HTTP API (consul-client has none), with the
 * ACL token in a header (never in the URL, where logs would show it) and blocking queries. Always the
 * agent's own datacenter: a leaf and its intentions are the local agent's business.
 */
final class AgentApi implements AutoCloseable {

    private final URI address;
    private final Secret token;
    private final Duration requestTimeout;
    private final HttpClient http;

    AgentApi(ConsulRegistryOptions options) {
        this.address = options.address();
        this.token = options.token();
        this.requestTimeout = options.requestTimeout();
        this.http = HttpClient.newBuilder()
                .connectTimeout(requestTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    URI address() {
        return address;
    }

    /** A plain GET. */
    AgentAnswer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path, Optional.empty(), null)).GET(), requestTimeout);
    }

    /**
     * A blocking GET: returns when what {@code path} names changes after {@code index}, or after
     * {@code wait} with the same index. No index: answers at once.
     */
    AgentAnswer watch(String path, Optional<BigInteger> index, Duration wait) throws IOException, InterruptedException {
        // Consul adds up to wait/16 of jitter before answering an unchanged query
        Duration timeout = index.isPresent() ? wait.plus(wait.dividedBy(16)).plus(requestTimeout) : requestTimeout;
        return send(HttpRequest.newBuilder(uri(path, index, wait)).GET(), timeout);
    }

    AgentAnswer post(String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path, Optional.empty(), null))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        return send(request, requestTimeout);
    }

    private AgentAnswer send(HttpRequest.Builder request, Duration timeout) throws IOException, InterruptedException {
        request.timeout(timeout);
        if (token.present()) {
            request.header("X-Consul-Token", token.value());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Optional<BigInteger> index = response.headers().firstValue("X-Consul-Index").flatMap(AgentApi::index);
        return new AgentAnswer(response.statusCode(), response.body(), index);
    }

    private URI uri(String path, Optional<BigInteger> index, Duration wait) {
        StringBuilder query = new StringBuilder();
        index.ifPresent(i -> query.append("index=").append(i).append("&wait=").append(wait.toMillis()).append("ms"));
        String base = address.toString().replaceAll("/+$", "");
        return URI.create(base + path + (query.isEmpty() ? "" : "?" + query));
    }

    private static Optional<BigInteger> index(String header) {
        try {
            return Optional.of(new BigInteger(header.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** What a network failure was, in words, for {@link AgentException}s. */
    static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within registry.consul.request-timeout";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    @Override
    public void close() {
        http.close();
    }
}
