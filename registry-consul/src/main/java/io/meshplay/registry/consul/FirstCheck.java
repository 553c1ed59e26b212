package io.meshplay.registry.consul;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.kiwiproject.consul.model.agent.ImmutableRegCheck;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;
import org.kiwiproject.consul.model.agent.Registration;

/**
 * Consul runs a new check first at a random moment within its interval (up to 5 s with the defaults), and until
 * then the instance is critical: no client sends it a call although it is ready. So the registry runs Consul's
 * own gRPC check once itself, just before it registers: the same request (the health service's {@code Check} of
 * the whole server, plaintext) to the same registered address, with the check's timeout. Only when that answers
 * SERVING is the check registered as passing; Consul's own checks take over from the first interval on. Passing
 * still means "the check answered SERVING", never "registered". HTTP checks point at readiness, which waits for
 * the registration, and TTL checks are passed at once anyway: those are registered as before.
 */
final class FirstCheck {

    static final String PASSING = "passing";

    private FirstCheck() {
    }

    /** {@code registration} with its gRPC check passing if the check answers SERVING now; else unchanged. */
    static Registration applied(Registration registration, Duration timeout) {
        Optional<Registration.RegCheck> check = registration.getCheck();
        if (check.isEmpty() || check.get().getGrpc().isEmpty() || check.get().getGrpcUseTls().orElse(false)) {
            return registration;
        }
        if (!serving(check.get().getGrpc().get(), timeout)) {
            return registration;
        }
        return ImmutableRegistration.copyOf(registration).withCheck(ImmutableRegCheck.copyOf(check.get()).withStatus(PASSING)
                .withNotes("registered passing: the gRPC health check of " + check.get().getGrpc().get() + " answered SERVING "
                        + "when the registry ran it just before registering; Consul runs it every "
                        + check.get().getInterval().orElse("interval") + " from then on"));
    }

    static boolean serving(String address, Duration timeout) {
        ManagedChannel channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
        try {
            HealthCheckResponse r = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            return r.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        } catch (RuntimeException e) {
            return false; // Consul's own check decides, as before
        } finally {
            channel.shutdownNow();
        }
    }
}
