package io.meshplay.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.registry.ServiceInstance;
import org.junit.jupiter.api.Test;

/** Config parsing, defaults, environment fallbacks and error messages; no agent needed. */
class ConsulRegistryOptionsTest {

    @Test
    void defaults() {
        ConsulRegistryOptions o = ConsulRegistryOptions.defaults();
        assertThat(o.address()).isEqualTo(URI.create("http://127.0.0.1:8500"));
        assertThat(o.token().present()).isFalse();
        assertThat(o.datacenter()).isEmpty();
        assertThat(o.checkType()).isEqualTo(ConsulRegistryOptions.CheckType.GRPC);
        assertThat(o.checkInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.checkTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.checkFailuresBeforeCritical()).isEqualTo(2);
        assertThat(ConsulEncoding.check(ServiceInstance.builder().name("a").port(8080).build(), o).getFailuresBeforeCritical()).contains(2);
        assertThat(o.deregisterAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.reconcileInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.watchWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.tags()).isEmpty();
        assertThat(o.meta()).isEmpty();
    }

    @Test
    void readsEveryKey() {
        ConsulRegistryOptions o = parse(Map.of(), "address", "https://consul.example:8501", "token", "s3cret",
                "datacenter", "dc2", "check.type", "HTTP", "check.interval", "PT10S", "check.timeout", "1500ms",
                "deregister-after", "5m", "reconcile-interval", "2s", "watch-wait", "1m", "tags.0", "blue", "tags.1", "canary",
                "meta.zone", "eu-1");
        assertThat(o.address()).isEqualTo(URI.create("https://consul.example:8501"));
        assertThat(o.token().value()).isEqualTo("s3cret");
        assertThat(o.datacenter()).contains("dc2");
        assertThat(o.checkType()).isEqualTo(ConsulRegistryOptions.CheckType.HTTP);
        assertThat(o.checkInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.checkTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.deregisterAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.reconcileInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.watchWait()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.tags()).containsExactly("blue", "canary");
        assertThat(o.meta()).containsExactly(Map.entry("zone", "eu-1"));
        assertThat(o.toString()).doesNotContain("s3cret").contains("token=(set)");
        assertThat(o.token().toString()).doesNotContain("s3cret");
    }

    @Test
    void consulEnvironmentIsUsedWhenKeysAreUnset() {
        Map<String, String> env = Map.of("CONSUL_HTTP_ADDR", "10.1.2.3:8501", "CONSUL_HTTP_SSL", "true",
                "CONSUL_HTTP_TOKEN", "from-env");
        ConsulRegistryOptions o = parse(env);
        assertThat(o.address()).isEqualTo(URI.create("https://10.1.2.3:8501"));
        assertThat(o.token().value()).isEqualTo("from-env");

        assertThat(parse(Map.of("CONSUL_HTTP_ADDR", "http://consul:8500")).address()).isEqualTo(URI.create("http://consul:8500"));
        // config wins over the environment
        ConsulRegistryOptions configured = parse(env, "address", "http://127.0.0.1:9500", "token", "from-config");
        assertThat(configured.address()).isEqualTo(URI.create("http://127.0.0.1:9500"));
        assertThat(configured.token().value()).isEqualTo("from-config");
    }

    @Test
    void tokenFileFromEnvironment() throws Exception {
        Path file = Files.createTempFile("consul-token", ".txt");
        try {
            Files.writeString(file, "from-file\n");
            assertThat(parse(Map.of("CONSUL_HTTP_TOKEN_FILE", file.toString())).token().value()).isEqualTo("from-file");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void badValuesNameTheKeyAndWhatWasExpected() {
        assertError("registry.consul.check.type", "one of grpc, http, ttl", "check.type", "tcp");
        assertError("registry.consul.check.interval", "duration", "check.interval", "often");
        assertError("registry.consul.check.timeout", "positive duration", "check.timeout", "0s");
        assertError("registry.consul.check.failures-before-critical", "an integer from 1 to 100", "check.failures-before-critical", "0");
        assertError("registry.consul.deregister-after", "at least 1m", "deregister-after", "30s");
        assertError("registry.consul.address", "http:// or https:// URL", "address", "ftp://consul:8500");
        assertError("registry.consul.address", "http:// or https:// URL", "address", "http://");
        assertError("registry.consul.watch-wait", "between 1s and 10m", "watch-wait", "20m");
        assertError("registry.consul.meta.bad key", "letters, digits", "meta.bad key", "x");
        assertThatThrownBy(() -> parse(Map.of("CONSUL_HTTP_ADDR", "ftp://nope")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONSUL_HTTP_ADDR").hasMessageContaining("registry.consul.address");
    }

    @Test
    void providerIsFoundByTypeName() {
        Map<String, String> map = new HashMap<>(Map.of("registry.type", "consul", "registry.consul.address", "http://127.0.0.1:1"));
        try (Registry registry = Registries.create(Config.just(ConfigSources.create(map)).get("registry"))) {
            assertThat(registry).isInstanceOf(ConsulRegistry.class);
            assertThat(registry.type()).isEqualTo("consul");
        }
    }

    private static void assertError(String key, String expected, String... keyValues) {
        assertThatThrownBy(() -> parse(Map.of(), keyValues))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining(expected);
    }

    private static ConsulRegistryOptions parse(Map<String, String> env, String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            map.put("registry.consul." + keyValues[i], keyValues[i + 1]);
        }
        map.put("registry.type", "consul");
        return ConsulRegistryOptions.from(Config.just(ConfigSources.create(map)).get("registry"), env::get);
    }
}
