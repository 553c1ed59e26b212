package io.meshplay.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.meshplay.broker.Brokers;
import io.meshplay.client.ClientOptions;
import io.meshplay.registry.Registries;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionTest {

    private static final Option<Duration> WAIT = Option.duration("wait", "how long to wait")
            .range(Duration.ofSeconds(1), Duration.ofMinutes(1)).defaultValue(Duration.ofSeconds(5));
    private static final Option<Integer> SIZE = Option.integer("size", "items per batch").range(1, 32).defaultValue(32);
    private static final Option<Secret> KEY = Option.secret("key", "the key")
            .check(k -> k.value().length() > 3, "too short", "at least 4 characters");

    @Test
    void readsDefaultsAndValuesUnderTheNodeItIsGiven() {
        Config node = MeshplayConfig.of(Map.of("a.wait", "PT10S", "a.size", " 8 ")).get("a");
        assertThat(WAIT.get(node)).isEqualTo(Duration.ofSeconds(10));
        assertThat(SIZE.get(node)).isEqualTo(8);
        Config empty = MeshplayConfig.of(Map.of()).get("a");
        assertThat(WAIT.get(empty)).isEqualTo(Duration.ofSeconds(5));
        assertThat(WAIT.find(empty)).isEmpty();
        assertThat(WAIT.defaultValue(Duration.ofSeconds(2)).get(empty)).as("a copy with its own default")
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(WAIT.get(empty)).as("the declaration itself is unchanged").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aBlankValueIsUnset() {
        Config node = MeshplayConfig.of(Map.of("a.wait", " ", "a.key", "")).get("a");
        assertThat(WAIT.get(node)).isEqualTo(Duration.ofSeconds(5));
        assertThat(KEY.find(node)).isEmpty();
        assertThat(KEY.isSet(node)).isTrue();
    }

    @Test
    void errorsNameTheFullKeyTheValueAndWhatWasExpected() {
        assertThatThrownBy(() -> SIZE.get(MeshplayConfig.of(Map.of("a.size", "50")).get("a")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'a.size' is '50'; expected an integer from 1 to 32");
        assertThatThrownBy(() -> SIZE.get(MeshplayConfig.of(Map.of("a.size", "many")).get("a")))
                .hasMessage("config key 'a.size' is 'many'; expected an integer from 1 to 32");
        assertThatThrownBy(() -> WAIT.get(MeshplayConfig.of(Map.of("a.wait", "2h")).get("a")))
                .hasMessage("config key 'a.wait' is '2h'; expected a duration from 1s to 1m (e.g. 500ms, 5s, 1m or PT5S)");
        assertThatThrownBy(() -> Option.string("name", "the name").get(MeshplayConfig.of(Map.of()).get("a")))
                .hasMessage("config key 'a.name' is required: the name");
        assertThatThrownBy(() -> Option.bool("on", "switch").get(MeshplayConfig.of(Map.of("a.on", "maybe")).get("a")))
                .hasMessage("config key 'a.on' is 'maybe'; expected true or false");
        assertThat(Option.bool("on", "switch").get(MeshplayConfig.of(Map.of("a.on", "True")).get("a"))).isTrue();
        // only true or false: "yes" and "1" mean true to one reader and false to another
        assertThatThrownBy(() -> Option.bool("on", "switch").get(MeshplayConfig.of(Map.of("a.on", "yes")).get("a")))
                .hasMessage("config key 'a.on' is 'yes'; expected true or false");
    }

    @Test
    void aSecretIsNeverQuoted() {
        Config node = MeshplayConfig.of(Map.of("a.key", "abc")).get("a");
        assertThatThrownBy(() -> KEY.get(node))
                .hasMessage("config key 'a.key' (value hidden) is too short; expected at least 4 characters");
        Secret secret = KEY.get(MeshplayConfig.of(Map.of("a.key", "s3cret-value")).get("a"));
        assertThat(secret.value()).isEqualTo("s3cret-value");
        assertThat(secret.toString()).isEqualTo("(set)");
        assertThat(new Holder(secret).toString()).doesNotContain("s3cret");
        assertThat(KEY.defaultValue(new Secret("dev-key")).help()).doesNotContain("dev-key").contains("secret");
    }

    @Test
    void choicesAcceptAnyCaseAndDashesAndReadAsDeclared() {
        Option<String> lb = Option.oneOf("lb", "policy", List.of("round_robin", "pick_first"));
        assertThat(lb.get(MeshplayConfig.of(Map.of("a.lb", "Pick-First")).get("a"))).isEqualTo("pick_first");
        assertThatThrownBy(() -> lb.get(MeshplayConfig.of(Map.of("a.lb", "random")).get("a")))
                .hasMessage("config key 'a.lb' is 'random'; expected one of round_robin, pick_first");
    }

    @Test
    void helpListsEveryKeyWithWhatItTakesAndItsDefault() {
        Map<String, String> help = Options.of(WAIT, SIZE, KEY).under("area.plugin").help();
        assertThat(help).containsExactly(
                Map.entry("area.plugin.wait", "how long to wait (1s..1m; default 5s)"),
                Map.entry("area.plugin.size", "items per batch (1..32; default 32)"),
                Map.entry("area.plugin.key", "the key (secret, never logged)"));
        assertThat(ClientOptions.OPTIONS.help()).containsEntry("load-balancing",
                "how a call picks an instance (round_robin | pick_first; default round_robin)");
    }

    @Test
    void pluginsDeclareTheirOptionsUnderTheirType() {
        assertThat(Registries.options().help()).containsKeys("registry.type", "registry.memory.name");
        assertThat(Brokers.options().help()).containsKeys("broker.type", "broker.memory.name", "broker.memory.max-attempts",
                "broker.memory.retry-backoff", "broker.memory.max-retry-backoff");
        assertThat(Brokers.options().help().get("broker.memory.retry-backoff")).contains("default 100ms");
        assertThat(AppArgs.commonKeys()).containsKeys("registry.type", "broker.type");
    }

    @Test
    void durationsAreShownAsTheyAreWritten() {
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofNanos(5))).isEqualTo("PT0.000000005S");
    }

    private record Holder(Secret token) {
    }
}
