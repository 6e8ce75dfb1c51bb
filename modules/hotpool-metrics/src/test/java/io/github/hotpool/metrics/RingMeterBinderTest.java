package io.github.hotpool.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.CapacityPolicy;
import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.RingOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ring's meters read what the ring says, through a grow, claims and an unbind. */
@Timeout(30)
class RingMeterBinderTest {

    private static double value(MeterRegistry r, String name) {
        return r.get(name).tag("ring", "metered").tag("app", "test").meter().measure().iterator().next().getValue();
    }

    @Test
    void meterValues_followCapacityGrowthOccupancyAndBytes() {
        DeltaRing ring = new DeltaRing(new RingOptions().setName("metered").setCapacity(16)
            .setCapacityPolicy(CapacityPolicy.GROW_ON_EXHAUSTION).setMaxCapacity(64).chain("a"));
        MeterRegistry registry = new SimpleMeterRegistry();
        RingMeterBinder binder = new RingMeterBinder(ring, Tags.of("app", "test"));
        binder.bindTo(registry);

        assertThat(value(registry, "hotpool.ring.capacity")).isEqualTo(16);
        assertThat(value(registry, "hotpool.ring.capacity.max")).isEqualTo(64);
        assertThat(value(registry, "hotpool.ring.grows")).isZero();
        long fixedBytes = ring.bytesReserved();
        assertThat(value(registry, "hotpool.ring.bytes.reserved")).isEqualTo(fixedBytes).isPositive();

        long first = ring.tryClaim(3);
        ring.publish(first + 3);
        assertThat(value(registry, "hotpool.ring.occupancy")).isEqualTo(3);

        assertThat(ring.grow()).isTrue();
        assertThat(value(registry, "hotpool.ring.capacity")).isEqualTo(32);
        assertThat(value(registry, "hotpool.ring.grows")).isEqualTo(1);
        assertThat(value(registry, "hotpool.ring.shrinks")).isZero();
        // the 16-row slab stays while the stage may still read rows 0..2 of it
        assertThat(value(registry, "hotpool.ring.bytes.reserved")).isEqualTo(ring.bytesReserved()).isGreaterThan(fixedBytes);

        binder.unbindFrom(registry);
        assertThat(registry.find("hotpool.ring.capacity").meters()).isEmpty();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void boundToTwoRegistries_unbindingOneLeavesTheOthersMeters_andUnbindingBothLeavesNone() {
        DeltaRing ring = new DeltaRing(new RingOptions().setName("metered").setCapacity(16).chain("a"));
        MeterRegistry a = new SimpleMeterRegistry();
        MeterRegistry b = new SimpleMeterRegistry();
        RingMeterBinder binder = new RingMeterBinder(ring, Tags.of("app", "test"));
        binder.bindTo(a);
        binder.bindTo(b);
        int meters = b.getMeters().size();
        assertThat(meters).isEqualTo(a.getMeters().size()).isPositive();

        binder.unbindFrom(a);
        assertThat(a.getMeters()).isEmpty();
        assertThat(b.getMeters()).hasSize(meters);
        assertThat(value(b, "hotpool.ring.capacity")).isEqualTo(16);

        binder.unbindFrom(b);
        assertThat(b.getMeters()).isEmpty();
    }
}
