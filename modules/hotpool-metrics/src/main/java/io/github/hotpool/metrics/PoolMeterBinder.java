package io.github.hotpool.metrics;

import io.github.hotpool.vertx.ContextPool;
import io.github.hotpool.vertx.ExhaustionPolicy;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer {@link MeterBinder} for one {@link ContextPool}: gauges and function counters that read
 * the pool's cross-thread counters when scraped, so acquire and release do no extra work. Meters are
 * removed when the pool closes. Two open pools with the same tags (the same name) cannot be bound to
 * one registry. Thread-safe (bind from any thread).
 *
 * <p>Meters (tag {@code pool} = pool name, plus user tags): {@code hotpool.soa.active|idle|max|high.water},
 * {@code hotpool.receipts.active|idle|max}, {@code hotpool.soa.acquired|released|remote.released|exhausted},
 * {@code hotpool.leaks}, and under {@link ExhaustionPolicy#WAIT} {@code hotpool.wait.queue.size}, {@code hotpool.wait}
 * (function timer of served waits) and {@code hotpool.wait.failed}. See docs/metrics.md.
 */
public final class PoolMeterBinder implements MeterBinder {

    private final ContextPool pool;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();

    /**
     * @param pool the pool to observe
     * @param tags extra tags; {@code pool} is added
     */
    public PoolMeterBinder(ContextPool pool, Iterable<Tag> tags) {
        this.pool = pool;
        this.tags = Tags.concat(tags, Tags.of("pool", pool.name()));
    }

    /**
     * Binds {@code pool} to vertx-micrometer-metrics' default registry, if there is one.
     *
     * @return false when vertx-micrometer-metrics is absent or has no default registry yet (metrics
     *     not enabled on the Vertx options): nothing is bound then
     */
    public static boolean bindToVertxDefaultRegistry(ContextPool pool, Iterable<Tag> tags) {
        MeterRegistry registry;
        try {
            registry = io.vertx.micrometer.backends.BackendRegistries.getDefaultNow();
        } catch (LinkageError absent) {
            return false;
        }
        if (registry == null) {
            return false;
        }
        new PoolMeterBinder(pool, tags).bindTo(registry);
        return true;
    }

    /**
     * @throws IllegalStateException when {@code registry} already meters another open pool under
     *     the same tags (two pools given one name, e.g. one {@code HotpoolOptions.name} for several
     *     verticle instances): Micrometer would hand this pool the other's meters, so it would never
     *     be measured, and the first pool's close would remove the meters of both
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge taken = registry.find("hotpool.soa.max").tags(tags).gauge();
        if (taken != null) {
            throw new IllegalStateException("cannot meter pool '" + pool.name() + "': the registry already meters a pool "
                + "with the tags " + tags + "; give each pool its own name (HotpoolOptions.setName, or no name: "
                + "then each pool is named after its deployment and context) or a tag that tells them apart");
        }
        int receiptMax = pool.options().getReceipts();
        gauge(registry, "hotpool.soa.active", "SoA buffers leased now", x -> x.pool().soaInUse());
        gauge(registry, "hotpool.soa.idle", "SoA buffers free now", x -> x.pool().soaCapacity() - x.pool().soaInUse());
        gauge(registry, "hotpool.soa.max", "SoA buffers in the pool now (its capacity)", x -> x.pool().soaCapacity());
        gauge(registry, "hotpool.soa.capacity.max", "most SoA buffers the pool may grow to (its capacity when fixed)",
            x -> x.pool().maxSoaCapacity());
        gauge(registry, "hotpool.soa.bytes.reserved", "off-heap bytes of the pool's SoA slabs now",
            x -> x.pool().soaBytesReserved());
        counter(registry, "hotpool.soa.grows", "segments added by adaptive capacity", x -> x.pool().growCount());
        counter(registry, "hotpool.soa.shrinks", "segments retired by adaptive capacity", x -> x.pool().shrinkCount());
        gauge(registry, "hotpool.soa.high.water", "most SoA buffers leased at once so far", x -> x.pool().highWaterMark());
        gauge(registry, "hotpool.receipts.active", "receipts leased now", x -> x.pool().receiptsInUse());
        gauge(registry, "hotpool.receipts.idle", "receipts free now", x -> receiptMax - x.pool().receiptsInUse());
        gauge(registry, "hotpool.receipts.max", "receipts in the pool", x -> receiptMax);
        counter(registry, "hotpool.soa.acquired", "SoA buffer leases handed out", x -> x.pool().acquiredCount());
        counter(registry, "hotpool.soa.released", "SoA buffer leases given back", x -> x.pool().releasedCount());
        counter(registry, "hotpool.soa.remote.released", "SoA buffers given back from other threads",
            x -> x.pool().remoteReleaseCount());
        counter(registry, "hotpool.soa.exhausted", "acquires that found every SoA buffer in use",
            x -> x.pool().exhaustedCount());
        counter(registry, "hotpool.leaks", "SoA buffers reported held past the leak threshold", ContextPool::leaksReported);
        if (pool.options().getExhaustionPolicy() == ExhaustionPolicy.WAIT) {
            gauge(registry, "hotpool.wait.queue.size", "requests waiting for a SoA buffer", ContextPool::waitQueueSize);
            meters.add(FunctionTimer.builder("hotpool.wait", pool, ContextPool::waitsServed, ContextPool::waitNanosTotal,
                TimeUnit.NANOSECONDS).description("waits that ended with a SoA buffer").tags(tags).register(registry));
            counter(registry, "hotpool.wait.failed", "waits that timed out, found the queue full or saw the pool close",
                ContextPool::waitsFailed);
        }
        pool.closeFuture().onComplete(ar -> meters.forEach(registry::remove));
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<ContextPool> f) {
        meters.add(Gauge.builder(name, pool, f).description(description).tags(tags).register(registry));
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<ContextPool> f) {
        meters.add(FunctionCounter.builder(name, pool, f).description(description).tags(tags).register(registry));
    }
}
