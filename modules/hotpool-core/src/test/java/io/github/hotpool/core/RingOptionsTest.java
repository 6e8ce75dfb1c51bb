package io.github.hotpool.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ring options: the original design's capacity, copies, and validation messages naming value and limit. */
class RingOptionsTest {

    @Test
    void defaults_are1024Rows_8192Triples() {
        RingOptions o = new RingOptions().chain("a");
        assertThat(o.getCapacity()).isEqualTo(1024);
        assertThat(o.getCapacity() * SoaLayout.MAX_RUN_LEN).isEqualTo(8192);
        assertThat(o.getName()).isEqualTo("ring");
        assertThat(o.validate()).isSameAs(o);
    }

    @Test
    void chainAndAddStage_declareStagesInOrder() {
        RingOptions o = new RingOptions().chain("transform", "load").addStage("audit").addStage("emit", "load", "audit");
        assertThat(o.getStages()).containsExactly(RingStage.of("transform"), RingStage.of("load", "transform"),
            RingStage.of("audit"), RingStage.of("emit", "load", "audit"));
        DeltaRing ring = new DeltaRing(o);
        assertThat(ring.runsAfter(ring.stage("emit"))).containsExactly(1, 2);
        assertThat(ring.isTerminal(ring.stage("audit"))).isFalse();
    }

    @Test
    void copy_isEqualAndIndependent_andTheRingCopiesToo() {
        RingOptions o = new RingOptions().setName("x").setCapacity(16).chain("a", "b");
        RingOptions copy = new RingOptions(o);
        assertThat(copy).isEqualTo(o).hasSameHashCodeAs(o);
        copy.setCapacity(32).addStage("c");
        assertThat(o.getCapacity()).isEqualTo(16);
        assertThat(o.getStages()).hasSize(2);
        AssertionRing ring = new AssertionRing(o);
        o.setCapacity(64).addStage("late");
        assertThat(ring.capacity()).isEqualTo(16);
        assertThat(ring.stageCount()).isEqualTo(2);
        assertThat(ring.options()).isEqualTo(new RingOptions().setName("x").setCapacity(16).chain("a", "b"));
        assertThat(o.toString()).startsWith("RingOptions{name=x, capacity=64, stages=[RingStage[name=a, after=[]]");
    }

    @Test
    void badValues_areRejectedNamingValueAndLimit() {
        assertThatThrownBy(() -> new RingOptions().chain("a").setCapacity(1000).validate())
            .isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be a power of two: 1000");
        assertThatThrownBy(() -> new RingOptions().chain("a").setCapacity(0).validate())
            .hasMessage("capacity must be in [1, 1048576]: 0");
        assertThatThrownBy(() -> new RingOptions().chain("a").setCapacity(1 << 21).validate())
            .hasMessage("capacity must be in [1, 1048576]: 2097152");
        assertThatThrownBy(() -> new RingOptions().chain("a").setName(" ").validate())
            .hasMessage("name must not be blank: ' '");
        assertThatThrownBy(() -> new RingOptions().validate())
            .hasMessage("stages must number 1 to 32: 0 (declare them with addStage or chain)");
        RingOptions many = new RingOptions();
        for (int i = 0; i < 33; i++) {
            many.addStage("s" + i);
        }
        assertThatThrownBy(many::validate).hasMessage("stages must number 1 to 32: 33");
        assertThatThrownBy(() -> new RingOptions().chain("a", "a").validate()).hasMessage("stage 'a' is declared twice");
        assertThatThrownBy(() -> new RingOptions().addStage("load", "transform").addStage("transform").validate())
            .hasMessage("stage 'load' runs after 'transform', which is not declared before it (declared before it: [])");
        assertThatThrownBy(() -> new RingOptions().addStage("a", "a").validate())
            .hasMessageContaining("stage 'a' runs after 'a', which is not declared before it");
        assertThatThrownBy(() -> new RingOptions().addStage("a").addStage("b", "a", "a").validate())
            .hasMessage("stage 'b' names 'a' twice in its after list");
        assertThatThrownBy(() -> new RingOptions().addStage("").validate())
            .hasMessage("stage name must not be blank: '' (stage 0)");
        assertThatThrownBy(() -> new DeltaRing(new RingOptions().chain("a").setCapacity(3)))
            .hasMessage("capacity must be a power of two: 3");
        assertThatThrownBy(() -> new DeltaRing(new RingOptions().chain("a"), null, null))
            .hasMessage("owner thread must not be null");
        assertThatThrownBy(() -> new RingOptions().setStages(List.of(new RingStage("a", List.of()))).addStage("b", (String) null))
            .isInstanceOf(NullPointerException.class);
    }

    @Test
    void adaptiveOptions_defaultOff_copied_andValidatedNamingValueAndLimit() {
        RingOptions d = new RingOptions().chain("a");
        assertThat(d.getCapacityPolicy()).isEqualTo(CapacityPolicy.FIXED);
        assertThat(d.isAdaptive()).isFalse();
        assertThat(d.effectiveMaxCapacity()).isEqualTo(1024);
        assertThat(new DeltaRing(d).maxCapacity()).isEqualTo(1024);
        RingOptions a = new RingOptions().setCapacity(16).setCapacityPolicy(CapacityPolicy.GROW_ON_HIGH_WATER)
            .setMaxCapacity(256).setGrowthFactor(4).setIdleMillis(7).setGrowAtPercent(60).chain("a");
        RingOptions copy = new RingOptions(a);
        assertThat(copy).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(copy.setGrowthFactor(2)).isNotEqualTo(a);
        assertThat(new DeltaRing(a).options()).isEqualTo(a);
        assertThat(new RingOptions(a).setMaxCapacity(0).effectiveMaxCapacity()).isEqualTo(16);
        assertThatThrownBy(() -> new RingOptions(a).setMaxCapacity(128).validate())
            .hasMessage("maxCapacity 128 must be capacity 16 times a power of growthFactor 4");
        assertThatThrownBy(() -> new RingOptions(a).setMaxCapacity(8).validate())
            .hasMessage("maxCapacity must be in [capacity 16, 1048576] (or 0): maxCapacity=8");
        assertThatThrownBy(() -> new RingOptions(a).setGrowthFactor(3).validate())
            .hasMessage("growthFactor must be a power of two, at least 2: 3");
        assertThatThrownBy(() -> new RingOptions(a).setIdleMillis(0).validate()).hasMessage("idleMillis must be at least 1: 0");
        assertThatThrownBy(() -> new RingOptions(a).setGrowAtPercent(101).validate())
            .hasMessage("growAtPercent must be in [1, 100]: 101");
        assertThatThrownBy(() -> new RingOptions(a).setCapacityPolicy(null).validate())
            .hasMessage("capacityPolicy must not be null");
        // a fixed ring ignores the adaptive fields
        new RingOptions(a).setCapacityPolicy(CapacityPolicy.FIXED).setGrowthFactor(3).validate();
    }
}
