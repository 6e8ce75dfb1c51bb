package io.github.hotpool.metrics;

import io.github.hotpool.core.Ring;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer {@link MeterBinder} for one {@link Ring} (a Δ-ring or an assertion ring): gauges and
 * function counters that read the ring's cross-thread fields when scraped, so claims, publishes
 * and cursor moves do no extra work. Thread-safe (bind from any thread); {@link #unbindFrom}
 * removes the meters, e.g. when the ring's pipeline is undeployed.
 *
 * <p>Meters (tag {@code ring} = ring name, plus user tags): {@code hotpool.ring.capacity} (rows
 * now), {@code hotpool.ring.capacity.max} (most rows adaptive capacity may reach; the capacity when
 * fixed), {@code hotpool.ring.bytes.reserved} (off-heap bytes of the slabs held now: two while a
 * resize's old slab is still read), {@code hotpool.ring.occupancy} (rows claimed that some
 * terminal stage has not passed), and the counters {@code hotpool.ring.grows} and {@code
 * hotpool.ring.shrinks}. See docs/metrics.md.
 */
public final class RingMeterBinder implements MeterBinder {

    private final Ring ring;
    private final Tags tags;
    /** The meters registered in each registry bound, so that unbinding one leaves the others'. */
    private final java.util.Map<MeterRegistry, List<Meter>> meters = new java.util.IdentityHashMap<>();

    /**
     * @param ring the ring to observe
     * @param tags extra tags; {@code ring} is added
     */
    public RingMeterBinder(Ring ring, Iterable<Tag> tags) {
        this.ring = ring;
        this.tags = Tags.concat(tags, Tags.of("ring", ring.name()));
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        gauge(registry, "hotpool.ring.capacity", "rows in the ring now", Ring::capacity);
        gauge(registry, "hotpool.ring.capacity.max", "most rows the ring may grow to (its capacity when fixed)",
            Ring::maxCapacity);
        gauge(registry, "hotpool.ring.bytes.reserved", "off-heap bytes of the ring's slabs now", Ring::bytesReserved);
        gauge(registry, "hotpool.ring.occupancy", "rows claimed that some terminal stage has not passed",
            r -> r.claimed() - r.gating());
        counter(registry, "hotpool.ring.grows", "resizes that grew the ring", Ring::growCount);
        counter(registry, "hotpool.ring.shrinks", "resizes that shrank the ring", Ring::shrinkCount);
    }

    /** Removes from {@code registry} every meter this binder registered there. */
    public synchronized void unbindFrom(MeterRegistry registry) {
        List<Meter> registered = meters.remove(registry);
        if (registered != null) {
            registered.forEach(registry::remove);
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<Ring> f) {
        keep(registry, Gauge.builder(name, ring, f).description(description).tags(tags).register(registry));
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<Ring> f) {
        keep(registry, FunctionCounter.builder(name, ring, f).description(description).tags(tags).register(registry));
    }

    private void keep(MeterRegistry registry, Meter meter) {
        meters.computeIfAbsent(registry, r -> new ArrayList<>()).add(meter);
    }
}
