package io.github.hotpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static final Set<GuardStage> MIDDLE = EnumSet.of(GuardStage.TRANSFORM, GuardStage.LOAD, GuardStage.REFLEX);

    @Test
    void noNodes_everyStageRunsAtTheSource() {
        Placement p = new Placement("me", Map.of(), List.of("me"));
        assertThat(p.settle(List.of())).containsExactlyElementsOf(EnumSet.allOf(GuardStage.class));
        assertThat(p.emitNode()).isEqualTo("me");
        assertThat(p.route(7, 0)).containsExactly("me", "me", "me", "me");
        assertThat(p.header(p.route(7, 0))).isEqualTo("0.0.0.0");
    }

    @Test
    void oneNodeWithEveryStage_takesThemAll_andStaleOrDeadEntriesAreIgnored() {
        Placement p = new Placement("me", Map.of("a", EnumSet.allOf(GuardStage.class), "dead", EnumSet.allOf(GuardStage.class),
            "me", EnumSet.allOf(GuardStage.class)), List.of("me", "a"));
        assertThat(p.candidates()).containsExactly("a");
        assertThat(p.hostsEmit("a")).isTrue();
        assertThat(p.settle(List.of("a"))).isEmpty();
        assertThat(p.route(0, 0)).containsExactly("a", "a", "a", "a");
        assertThat(p.header(p.route(0, 0))).isEqualTo("1.1.1.1");
    }

    @Test
    void twoMiddleNodes_alternateBySequenceAndAttempt_andAUnitStaysOnItsNode() {
        Placement p = new Placement("me", Map.of("a", MIDDLE, "b", MIDDLE), List.of("me", "a", "b"));
        assertThat(p.settle(List.of("a", "b"))).containsExactly(GuardStage.EMIT);
        assertThat(p.route(0, 0)).containsExactly("a", "a", "a", "me");
        assertThat(p.route(1, 0)).containsExactly("b", "b", "b", "me");
        assertThat(p.route(0, 1)).as("a resend takes the other node").containsExactly("b", "b", "b", "me");
    }

    @Test
    void aNodeThatLeaves_isNoLongerRouted_andNoHostLeftMeansNoRoute() {
        Placement p = new Placement("me", Map.of("a", MIDDLE, "b", EnumSet.of(GuardStage.LOAD)), List.of("me", "a", "b"));
        p.settle(List.of("a", "b"));
        assertThat(p.route(1, 0)).containsExactly("a", "a", "a", "me");
        assertThat(p.remove("b")).isFalse();
        assertThat(p.remove("a")).isFalse();
        assertThat(p.route(1, 0)).as("transform has no host left").isNull();
    }

    @Test
    void emitGoesToTheFirstNodeById_andTheRunFailsIfThatNodeDidNotOpen() {
        Placement p = new Placement("me", Map.of("z", EnumSet.of(GuardStage.EMIT), "c", EnumSet.of(GuardStage.EMIT)),
            List.of("me", "c", "z"));
        assertThat(p.hostsEmit("c")).isTrue();
        assertThat(p.hostsEmit("z")).isFalse();
        assertThatThrownBy(() -> p.settle(List.of("z"))).hasMessageContaining("the node hosting emit (c) did not open");
        Placement q = new Placement("me", Map.of("z", EnumSet.of(GuardStage.EMIT), "c", EnumSet.of(GuardStage.EMIT)),
            List.of("me", "c", "z"));
        q.settle(List.of("c", "z"));
        assertThat(q.hosts(GuardStage.EMIT)).containsExactly("c");
        assertThat(q.remove("c")).as("the Emit node left").isTrue();
    }

    @Test
    void aCandidateThatDidNotOpen_isLeftOut_itsStagesRunAtTheSource() {
        Placement p = new Placement("me", Map.of("a", MIDDLE), List.of("me", "a"));
        assertThat(p.settle(List.of())).containsExactlyElementsOf(EnumSet.allOf(GuardStage.class));
        assertThat(p.route(3, 0)).containsExactly("me", "me", "me", "me");
    }
}
