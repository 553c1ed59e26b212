package io.meshplay.server;

import io.helidon.webserver.WebServer;
import io.meshplay.registry.memory.MemoryRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The feature works on any Helidon server, not only through MeshplayServer. */
class RegistrationFeatureTest {

    @Test
    void registersTheBoundPortAfterStartAndDeregistersOnStop() {
        MemoryRegistry registry = new MemoryRegistry();
        RegistrationFeature feature = RegistrationFeature.create(c -> c.serviceName("plain").registry(registry));
        WebServer server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .addFeature(feature).build();
        assertThat(feature.registered()).isFalse();
        server.start();
        try {
            assertThat(feature.registered()).isTrue();
            assertThat(registry.instances("plain")).singleElement()
                    .satisfies(i -> assertThat(i.port()).isEqualTo(server.port()));
        } finally {
            server.stop();
        }
        assertThat(registry.instances("plain")).isEmpty();
        assertThat(feature.registered()).isFalse();
    }
}
