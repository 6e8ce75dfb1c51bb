package io.github.hotpool.metrics;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.testing.AllocationMeter;
import io.github.hotpool.vertx.ContextPool;
import io.github.hotpool.vertx.ContextPools;
import io.github.hotpool.vertx.ExhaustionPolicy;
import io.github.hotpool.vertx.HotpoolOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class PoolMeterBinderTest {

    private static <T> T on(Context ctx, Callable<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            try {
                f.complete(work.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    private static double value(MeterRegistry r, String name) {
        return r.get(name).tag("pool", "metered").tag("app", "test").meter().measure().iterator().next().getValue();
    }

    @Test
    void meterValues_matchPoolState(Vertx vertx) throws Exception {
        Context ctx = ((VertxInternal) vertx).createEventLoopContext();
        MeterRegistry registry = new SimpleMeterRegistry();
        ContextPool p = on(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setName("metered").setSoaBuffers(3)
            .setReceipts(10).setReceiptsPerBuffer(2)));
        new PoolMeterBinder(p, Tags.of("app", "test")).bindTo(registry);
        SoaBuffer[] held = on(ctx, () -> {
            SoaBuffer a = p.acquire(1);
            SoaBuffer b = p.acquire(1);
            p.release(p.acquire(1));
            SoaBuffer c = p.tryAcquire(1); // fills the pool
            p.tryAcquire(1); // exhausted
            p.pool().acquireReceipt();
            return new SoaBuffer[] {a, b, c};
        });
        ContextPools.release(held[0]); // from the test thread: a remote release
        assertThat(value(registry, "hotpool.soa.active")).isEqualTo(p.pool().soaInUse()).isEqualTo(2);
        assertThat(value(registry, "hotpool.soa.idle")).isEqualTo(1);
        assertThat(value(registry, "hotpool.soa.max")).isEqualTo(3);
        assertThat(value(registry, "hotpool.soa.high.water")).isEqualTo(p.pool().highWaterMark()).isEqualTo(3);
        assertThat(value(registry, "hotpool.receipts.active")).isEqualTo(1);
        assertThat(value(registry, "hotpool.receipts.idle")).isEqualTo(9);
        assertThat(value(registry, "hotpool.receipts.max")).isEqualTo(10);
        assertThat(value(registry, "hotpool.soa.acquired")).isEqualTo(4);
        assertThat(value(registry, "hotpool.soa.released")).isEqualTo(2);
        assertThat(value(registry, "hotpool.soa.remote.released")).isEqualTo(1);
        assertThat(value(registry, "hotpool.soa.exhausted")).isEqualTo(p.pool().exhaustedCount()).isEqualTo(1);
        assertThat(value(registry, "hotpool.leaks")).isZero();
        assertThat(registry.find("hotpool.wait.queue.size").meter()).as("no wait meters under FAIL").isNull();
        ContextPools.release(held[1]);
        ContextPools.release(held[2]);
        vertx.close().await(5, TimeUnit.SECONDS);
        assertThat(p.closeFuture().await(5, TimeUnit.SECONDS)).as("buffers out at close").isZero();
    }

    @Test
    void twoOpenPoolsWithOneName_theSecondIsRefusedNamingWhy_andBindsOnceTheFirstHasClosed() throws Exception {
        Vertx first = Vertx.vertx();
        Vertx second = Vertx.vertx();
        try {
            MeterRegistry registry = new SimpleMeterRegistry();
            Context a = ((VertxInternal) first).createEventLoopContext();
            Context b = ((VertxInternal) second).createEventLoopContext();
            ContextPool pa = on(a, () -> ContextPools.install(a, new HotpoolOptions().setName("metered").setSoaBuffers(3)));
            ContextPool pb = on(b, () -> ContextPools.install(b, new HotpoolOptions().setName("metered").setSoaBuffers(7)));
            new PoolMeterBinder(pa, Tags.of("app", "test")).bindTo(registry);
            int meters = registry.getMeters().size();
            PoolMeterBinder binder = new PoolMeterBinder(pb, Tags.of("app", "test"));
            assertThatThrownBy(() -> binder.bindTo(registry)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot meter pool 'metered'").hasMessageContaining("its own name");
            assertThat(registry.getMeters()).as("nothing of the second pool registered").hasSize(meters);
            assertThat(value(registry, "hotpool.soa.max")).as("the first pool's meters").isEqualTo(3);
            // another tag tells them apart
            new PoolMeterBinder(pb, Tags.of("app", "other")).bindTo(registry);
            assertThat(registry.get("hotpool.soa.max").tag("app", "other").gauge().value()).isEqualTo(7);

            first.close().await(5, TimeUnit.SECONDS);
            pa.closeFuture().await(5, TimeUnit.SECONDS);
            new PoolMeterBinder(pb, Tags.of("app", "test")).bindTo(registry);
            assertThat(value(registry, "hotpool.soa.max")).as("the name is free once its pool closed").isEqualTo(7);
        } finally {
            first.close().await(5, TimeUnit.SECONDS);
            second.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void waitMeters_countQueueAndServedWaits_andMetersGoWhenThePoolCloses(Vertx vertx) throws Exception {
        Context ctx = ((VertxInternal) vertx).createEventLoopContext();
        MeterRegistry registry = new SimpleMeterRegistry();
        ContextPool p = on(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setName("metered").setSoaBuffers(1)
            .setExhaustionPolicy(ExhaustionPolicy.WAIT).setWaitTimeoutMillis(5_000)));
        new PoolMeterBinder(p, Tags.of("app", "test")).bindTo(registry);
        SoaBuffer first = on(ctx, () -> p.acquire(1));
        Future<SoaBuffer> waiting = on(ctx, () -> p.acquireAsync(1));
        assertThat(value(registry, "hotpool.wait.queue.size")).isEqualTo(1);
        ContextPools.release(first);
        SoaBuffer served = waiting.await(5, TimeUnit.SECONDS);
        assertThat(value(registry, "hotpool.wait.queue.size")).isZero();
        assertThat(registry.get("hotpool.wait").functionTimer().count()).isEqualTo(1);
        assertThat(registry.get("hotpool.wait").functionTimer().totalTime(TimeUnit.NANOSECONDS)).isPositive();
        ContextPools.release(served);
        vertx.close().await(5, TimeUnit.SECONDS);
        assertThat(p.closeFuture().await(5, TimeUnit.SECONDS)).as("buffers out at close").isZero();
        assertThat(registry.find("hotpool.soa.active").meter()).isNull();
    }

    @Test
    void capacityMeters_followGrowthAndShrink(Vertx vertx) throws Exception {
        Context ctx = ((VertxInternal) vertx).createEventLoopContext();
        MeterRegistry registry = new SimpleMeterRegistry();
        ContextPool p = on(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setName("metered").setSoaBuffers(2)
            .setCapacityPolicy(io.github.hotpool.core.CapacityPolicy.GROW_ON_EXHAUSTION).setMaxSoaBuffers(6)
            .setGrowthStep(2).setCapacityCheckMillis(60_000)));
        new PoolMeterBinder(p, Tags.of("app", "test")).bindTo(registry);
        long line = io.github.hotpool.core.SoaLayout.BUFFER_LENGTH;
        assertThat(value(registry, "hotpool.soa.max")).isEqualTo(2);
        assertThat(value(registry, "hotpool.soa.capacity.max")).isEqualTo(6);
        assertThat(value(registry, "hotpool.soa.bytes.reserved")).isEqualTo(2 * line);
        on(ctx, () -> p.pool().grow() && p.pool().grow());
        assertThat(value(registry, "hotpool.soa.max")).isEqualTo(6);
        assertThat(value(registry, "hotpool.soa.idle")).isEqualTo(6);
        assertThat(value(registry, "hotpool.soa.grows")).isEqualTo(2);
        assertThat(value(registry, "hotpool.soa.bytes.reserved")).isEqualTo(6 * line);
        on(ctx, () -> p.pool().shrink());
        assertThat(value(registry, "hotpool.soa.max")).isEqualTo(4);
        assertThat(value(registry, "hotpool.soa.shrinks")).isEqualTo(1);
        assertThat(value(registry, "hotpool.soa.bytes.reserved")).isEqualTo(4 * line);
    }

    @Test
    void acquireAndRelease_withMetersBound_allocateNothing(Vertx vertx) throws Exception {
        Context ctx = ((VertxInternal) vertx).createEventLoopContext();
        MeterRegistry registry = new SimpleMeterRegistry();
        long bytes = on(ctx, () -> {
            ContextPool p = ContextPools.install(ctx, new HotpoolOptions().setName("metered"));
            new PoolMeterBinder(p, Tags.of("app", "test")).bindTo(registry);
            return AllocationMeter.allocatedBytes(200, () -> {
                for (int i = 0; i < 1_000; i++) {
                    p.release(p.acquire(4));
                }
            });
        });
        assertThat(bytes).isZero();
        assertThat(value(registry, "hotpool.soa.acquired")).isGreaterThan(200_000);
    }

    @Test
    void vertxDefaultRegistry_absent_bindsNothingAndSaysSo(Vertx vertx) throws Exception {
        Context ctx = ((VertxInternal) vertx).createEventLoopContext();
        ContextPool p = on(ctx, ContextPools::current);
        assertThat(PoolMeterBinder.bindToVertxDefaultRegistry(p, Tags.empty())).isFalse();
    }
}
