package io.meshplay.registry.consul;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshplay.registry.RegistryException;
import org.kiwiproject.consul.model.agent.Registration;
import org.kiwiproject.consul.util.Jackson;

/**
 * Registers a Connect-native instance ({@code "Connect": {"Native": true}}, for {@code tls_mode: connect}).
 * consul-client's {@link Registration} has no Connect field, so the same JSON it would send, serialized by
 * its own mapper, gets the field added and goes to {@code PUT /v1/agent/service/register} directly, with
 * the token in a header.
 */
final class ConnectNativeRegistrar implements AutoCloseable {

    private final ConsulRegistryOptions options;
    private final ConsulFailures failures;
    private final HttpClient http;

    ConnectNativeRegistrar(ConsulRegistryOptions options, ConsulFailures failures) {
        this.options = options;
        this.failures = failures;
        this.http = HttpClient.newBuilder().connectTimeout(options.requestTimeout()).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The body sent: consul-client's JSON for {@code registration} plus {@code Connect.Native}. */
    static String json(Registration registration) {
        ObjectNode json = Jackson.MAPPER.valueToTree(registration);
        json.putObject("Connect").put("Native", true);
        return json.toString();
    }

    void register(Registration registration) {
        String action = "register " + registration.getId() + " (Connect native)";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(options.address().toString().replaceAll("/+$", "")
                        + "/v1/agent/service/register"))
                .timeout(options.requestTimeout())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(registration), StandardCharsets.UTF_8));
        if (options.token().present()) {
            request.header("X-Consul-Token", options.token().value());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw failures.answered(action, response.statusCode(), response.body());
            }
        } catch (IOException e) {
            throw failures.translate(action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while registering " + registration.getId() + " with Consul", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
