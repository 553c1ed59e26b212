package io.meshplay.config;

import java.time.Duration;
import java.util.Map;

import io.helidon.config.ConfigException;
import io.meshplay.broker.Brokers;
import io.meshplay.registry.Registries;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginsTest {

    @Test
    void unknownPluginListsTheKnownOnes() {
        assertThatThrownBy(() -> Brokers.create(MeshplayConfig.of(Map.of("broker.type", "kafka")).get("broker")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'broker.type' is 'kafka'; expected one of the installed plug-ins [memory]");
        assertThat(Registries.create(MeshplayConfig.of(Map.of()).get("registry")).type()).isEqualTo("memory");
    }

    @Test
    void durationsAcceptSimpleAndIsoFormsAndNameTheKeyOtherwise() {
        var config = MeshplayConfig.of(Map.of("a", "500ms", "b", "PT2S", "c", "soon"));
        assertThat(Durations.get(config.get("a"), Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.get(config.get("b"), Duration.ZERO)).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.get(config.get("missing"), Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> Durations.get(config.get("c"), Duration.ZERO))
                .hasMessageContaining("'c'").hasMessageContaining("duration");
    }
}
