package io.meshplay.testing;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The words the children tests start use when a port is taken. */
class BindFailureTest {

    @Test
    void recognisesGoNodeAndJava() {
        // Consul and Prometheus (Go), Azurite (Node), servers (Java)
        assertThat(BindFailure.says("==> Error starting agent: Failed to start Consul server: Failed to start lan serf:"
                + " Failed to create memberlist: Could not set up network transport: failed to obtain an address:"
                + " Failed to start TCP listener on \"127.0.0.1\" port 20002: listen tcp 127.0.0.1:20002: bind: address already in use"))
                .isTrue();
        assertThat(BindFailure.says("Exit due to unhandled error: listen EADDRINUSE: address already in use 127.0.0.1:20003")).isTrue();
        assertThat(BindFailure.says("Exception in thread \"main\" java.net.BindException: Address already in use")).isTrue();
        assertThat(BindFailure.says("==> Consul agent running!")).isFalse();
    }

    @Test
    void findsTheCauseInAnExceptionChain() {
        var e = new IllegalStateException("server did not start", new java.io.UncheckedIOException(new BindException("Address already in use")));
        assertThat(BindFailure.in(e)).contains("java.net.BindException: Address already in use");
        assertThat(BindFailure.in(new IllegalStateException("timed out"))).isEmpty();
    }

    @Test
    void countsOnlyWhatWasWrittenAfterTheMark(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("child.log");
        assertThat(BindFailure.mark(log)).isZero();
        Files.writeString(log, "earlier run\nlisten tcp 127.0.0.1:20001: bind: address already in use\n");
        long mark = BindFailure.mark(log);
        Files.writeString(log, "this run started fine\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(BindFailure.in(log, mark)).isEmpty();
        Files.writeString(log, "later: listen EADDRINUSE 127.0.0.1:20005\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(BindFailure.in(log, mark)).contains("later: listen EADDRINUSE 127.0.0.1:20005");
        assertThat(BindFailure.in(dir.resolve("missing.log"), 0)).isEmpty();
    }
}
