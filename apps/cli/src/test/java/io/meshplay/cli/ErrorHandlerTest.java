package io.meshplay.cli;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;

import io.meshplay.broker.BrokerException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The line a user reads for exceptions the CLI did not make itself: messages, never class names. */
class ErrorHandlerTest {

    @Test
    void aWrapperWhoseMessageIsOnlyItsCauseIsSkipped() {
        // what an Azure SDK call in an outage throws: no message of its own anywhere in the chain
        assertThat(ErrorHandler.readable(new UncheckedIOException(new ClosedChannelException())))
                .isEqualTo("the connection was closed before the answer came");
        assertThat(ErrorHandler.readable(new RuntimeException(new ConnectException()))).isEqualTo("the connection was refused");
    }

    @Test
    void theFirstMessageSaysIt() {
        assertThat(ErrorHandler.readable(new BrokerException("azqueue: send to queue 'q' failed: the service is down",
                new UncheckedIOException(new ClosedChannelException())))).isEqualTo(
                "azqueue: send to queue 'q' failed: the service is down");
        assertThat(ErrorHandler.message(new IllegalStateException("line one\n  line two"))).isEqualTo("line one line two");
    }

    @Test
    void nothingReadableAnywhereIsStillNoClassName() {
        assertThat(ErrorHandler.readable(new NullPointerException())).doesNotContain("Exception").contains("--verbose");
    }

    @Test
    void aRefusedHandshakeSaysWhyNotJustIoException() {
        var handshake = new javax.net.ssl.SSLHandshakeException("handshake failed");
        handshake.initCause(new java.security.cert.CertificateException(
                "expected a certificate for service 'example', got spiffe://t/ns/default/dc/dc1/svc/other"));
        var refused = io.grpc.Status.UNAVAILABLE.withDescription("io exception").withCause(handshake).asRuntimeException();
        assertThat(ErrorHandler.message(refused)).isEqualTo("call failed: UNAVAILABLE: io exception: expected a certificate "
                + "for service 'example', got spiffe://t/ns/default/dc/dc1/svc/other");
    }
}
