package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.meshplay.registry.InstanceHealth;
import io.meshplay.registry.RegistryException;
import io.meshplay.registry.RegistryInspection;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.testing.Ports;
import io.meshplay.testing.consul.ConsulAcl;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An agent with ACLs on and default deny: works with a token, fails clearly without, never shows it. */
@ExtendWith(ConsulExtension.class)
@ConsulAcl
class ConsulAclTest {

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("io.meshplay");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(String.valueOf(record.getMessage()) + " " + record.getThrown());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopCapture() {
        logger.removeHandler(capture);
    }

    @Test
    void registersAndDiscoversWithTheToken(ConsulAgent consul) {
        try (HealthServer server = HealthServer.start();
             ConsulRegistry registry = TestConfigs.create(consul, "token", consul.managementToken())) {
            server.serving(true);
            ServiceInstance instance = ConsulRegistryTest.instance("secured", server.port());
            registry.register(instance);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.instances("secured").size() == 1);
            assertThat(ConsulHttp.passingIds(consul, "secured")).containsExactly(instance.id());
            assertThat(registry.services()).contains("secured");
            assertThat(registry.options().toString()).doesNotContain(consul.managementToken()).contains("token=(set)");
            registry.deregister(instance);
            assertThat(ConsulHttp.allIds(consul, "secured")).isEmpty();
        }
        assertThat(logged).isNotEmpty().noneMatch(line -> line.contains(consul.managementToken()));
    }

    @Test
    void inspectsWithTheToken(ConsulAgent consul) {
        try (ConsulRegistry registry = TestConfigs.create(consul, "token", consul.managementToken())) {
            // nothing serves the port: the instance is critical, which only inspection shows
            ServiceInstance instance = ConsulRegistryTest.instance("inspected-secured", Ports.free());
            registry.register(instance);
            RegistryInspection inspection = registry.inspection().orElseThrow();

            assertThat(inspection.services()).contains("inspected-secured");
            assertThat(inspection.instances("inspected-secured")).extracting(InstanceHealth::id).containsExactly(instance.id());
            assertThat(inspection.description()).doesNotContain(consul.managementToken());
            registry.deregister(instance);
        }
        assertThat(logged).noneMatch(line -> line.contains(consul.managementToken()));
    }

    @Test
    void anEmptyAnswerIsExplainedByTheAcls(ConsulAgent consul) {
        try (ConsulRegistry registry = TestConfigs.create(consul)) {
            RegistryInspection inspection = registry.inspection().orElseThrow();
            // default deny and no token: Consul answers an empty catalog, not an error
            assertThat(inspection.services()).isEmpty();
            assertThat(inspection.hidingNote()).hasValueSatisfying(note -> assertThat(note)
                    .contains("has ACLs enabled and no ACL token is configured", "registry.consul.token"));
        }
        try (ConsulRegistry registry = TestConfigs.create(consul, "token", consul.managementToken())) {
            assertThat(registry.inspection().orElseThrow().hidingNote()).hasValueSatisfying(note -> assertThat(note)
                    .contains("has ACLs enabled", "may not read").doesNotContain(consul.managementToken()));
        }
    }

    @Test
    void withoutTokenRegistrationFailsSayingTheTokenIsMissing(ConsulAgent consul) {
        try (ConsulRegistry registry = TestConfigs.create(consul)) {
            ServiceInstance instance = ConsulRegistryTest.instance("unsecured", 50051);
            assertThatThrownBy(() -> registry.register(instance))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("Consul at " + consul.httpAddress() + " denied register " + instance.id())
                    .hasMessageContaining("no ACL token is configured (set registry.consul.token or CONSUL_HTTP_TOKEN)")
                    .hasMessageContaining("Permission denied");
            assertThat(ConsulHttp.allIds(consul, "unsecured")).isEmpty();
        }
    }

    @Test
    void wrongTokenIsReportedAsRejectedWithoutPrintingIt(ConsulAgent consul) {
        String wrong = UUID.randomUUID().toString();
        try (ConsulRegistry registry = TestConfigs.create(consul, "token", wrong)) {
            ServiceInstance instance = ConsulRegistryTest.instance("wrong-token", 50051);
            assertThatThrownBy(() -> registry.register(instance))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("rejected the ACL token")
                    .hasMessageContaining("ACL not found")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain(wrong));
            // reads are refused too, and the watcher's error says why without the token
            assertThatThrownBy(() -> registry.instances("wrong-token"))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("rejected the ACL token")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain(wrong));
        }
        // the watcher logs from its own thread: the line may land just after the refused read returned
        await().atMost(Duration.ofSeconds(5)).until(() -> logged.stream().anyMatch(line -> line.contains("rejected the ACL token")));
        assertThat(logged).noneMatch(line -> line.contains(wrong));
    }

    private static String stackText(Throwable e) {
        var out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
