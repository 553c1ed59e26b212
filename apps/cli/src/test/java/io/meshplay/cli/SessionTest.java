package io.meshplay.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.meshplay.broker.Message;
import io.meshplay.broker.Subscription;
import io.meshplay.broker.memory.MemoryBroker;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.registry.memory.MemoryRegistry;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A command's session closes its plug-ins, the memory ones too, and that releases only what it opened. */
class SessionTest {

    @RegisterExtension
    final Closer closer = new Closer();

    // names of their own, so other tests in this JVM do not share them
    private final String name = "session-" + UUID.randomUUID();

    @Test
    void closingReleasesWhatTheSessionOpenedAndNothingElse() {
        Registry app = closer.add(MemoryRegistry.shared(name));
        MemoryBroker appBroker = closer.add(MemoryBroker.shared(name, 5, Duration.ofMillis(100)));
        ServiceInstance appInstance = ServiceInstance.builder().id("app").name("svc").port(1001).build();
        app.register(appInstance);
        Session session = new Session(MeshplayConfig.of(Map.of("registry.memory.name", name, "broker.memory.name", name)),
                new Output(new PrintWriter(new StringWriter()), Output.Format.json), new PrintWriter(new StringWriter()),
                new ByteArrayInputStream(new byte[0]), false, false);
        session.registry().register(ServiceInstance.builder().id("cli").name("svc").port(1002).build());
        Subscription cliSubscription = session.broker().subscribe("topic", event -> { });

        session.close();

        assertThat(app.instances("svc")).as("the session's instance went with it, the app's stayed").containsExactly(appInstance);
        assertThat(cliSubscription.active()).isFalse();
        appBroker.publish("topic", Message.of(new byte[] {1}));
        assertThat(appBroker.depth("topic")).as("no subscriber of the session is left to take it").isEqualTo(1);
    }
}
