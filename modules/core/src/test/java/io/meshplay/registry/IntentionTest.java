package io.meshplay.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Consul's precedence and order, the actions' spellings, and what a name may not be. */
class IntentionTest {

    @Test
    void precedenceIsConsulsAndTheListOrderFollowsIt() {
        List<Intention> all = new ArrayList<>(List.of(
                Intention.of("*", "*", Intention.Action.DENY, null),
                Intention.of("web", "*", Intention.Action.DENY, null),
                Intention.of("*", "db", Intention.Action.ALLOW, null),
                Intention.of("web", "db", Intention.Action.ALLOW, null),
                Intention.of("api", "db", Intention.Action.ALLOW, null)));
        all.sort(Intention.EVALUATION_ORDER);

        assertThat(all).extracting(Intention::toString).containsExactly("api -> db (allow)", "web -> db (allow)",
                "* -> db (allow)", "web -> * (deny)", "* -> * (deny)");
        assertThat(all).extracting(Intention::precedence).containsExactly(9, 9, 8, 6, 5);
    }

    @Test
    void actionsReadConsulsSpellingAndNothingElse() {
        assertThat(Intention.Action.of(" Allow ")).isEqualTo(Intention.Action.ALLOW);
        assertThat(Intention.Action.DENY.label()).isEqualTo("deny");
        assertThatThrownBy(() -> Intention.Action.of("permit")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intention action 'permit' is neither allow nor deny");
    }

    @Test
    void blankNamesAreRefusedAndAMissingDescriptionIsEmpty() {
        assertThatThrownBy(() -> Intention.of(" ", "db", Intention.Action.ALLOW, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intention source must not be blank");
        assertThatThrownBy(() -> Intention.of("web", null, Intention.Action.ALLOW, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intention destination must not be blank");
        assertThat(Intention.of("web", "db", Intention.Action.ALLOW, null).description()).isEmpty();
        assertThat(Intention.of("web", "db", Intention.Action.ALLOW, null).samePair("web", "db")).isTrue();
    }
}
