package io.github.hotpool.vertx;

import io.github.hotpool.core.CapacityPolicy;
import io.github.hotpool.core.SoaBuffer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Adaptive capacity of a context pool: waiting requests grow it, idle time shrinks it, all on the owner. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdaptiveContextPoolTest {

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void burstOfWaitingRequests_growsThePool_thenIdleShrinksItBackToItsBase(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(2)
            .setExhaustionPolicy(ExhaustionPolicy.WAIT).setWaitTimeoutMillis(10_000)
            .setCapacityPolicy(CapacityPolicy.GROW_ON_EXHAUSTION).setMaxSoaBuffers(8).setGrowthStep(2)
            .setIdleMillis(50).setCapacityCheckMillis(10_000)));
        // the periodic check is 10 s away: only the starved task can serve this burst in time
        List<Future<SoaBuffer>> burst = OnContext.call(ctx, () -> {
            List<Future<SoaBuffer>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(p.acquireAsync(1));
            }
            return fs;
        });
        List<SoaBuffer> got = new ArrayList<>();
        for (Future<SoaBuffer> f : burst) {
            got.add(f.await(10, TimeUnit.SECONDS));
        }
        assertThat(got).extracting(SoaBuffer::slot).doesNotHaveDuplicates().hasSize(8);
        assertThat(p.pool().soaCapacity()).isEqualTo(8);
        assertThat(p.pool().growCount()).isEqualTo(3);
        for (int k = 0; k < p.pool().segmentCount(); k++) {
            assertThat(p.pool().segmentTouchedBy(k)).as("segment " + k + " first touched on the owner")
                .isSameAs(p.pool().ownerThread());
        }
        got.forEach(p::release);
        // idle: policy steps on the owner retire one segment per idle period, down to the base
        long[] start = {System.nanoTime()};
        while (p.pool().soaCapacity() > 2) {
            if (System.nanoTime() - start[0] > TimeUnit.SECONDS.toNanos(10)) {
                throw new AssertionError("still " + p.pool().soaCapacity() + " buffers after 10 s idle");
            }
            OnContext.call(ctx, p::maintainCapacity);
            Thread.sleep(10);
        }
        assertThat(p.pool().shrinkCount()).isEqualTo(3);
        assertThat(p.pool().stats().soaBytesReserved()).isEqualTo(2L * io.github.hotpool.core.SoaLayout.BUFFER_LENGTH);
    }

    @Test
    void parkedNode_onAnExhaustedAdaptivePool_isServedByGrowth_withoutARelease(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(1)
            .setCapacityPolicy(CapacityPolicy.GROW_ON_EXHAUSTION).setMaxSoaBuffers(2).setGrowthStep(1)
            .setCapacityCheckMillis(60_000)));
        java.util.concurrent.CompletableFuture<SoaBuffer> served = new java.util.concurrent.CompletableFuture<>();
        ContextPool.Parking node = new ContextPool.Parking() {
            @Override
            protected void onBuffer(SoaBuffer b) {
                served.complete(b);
            }
        };
        SoaBuffer held = OnContext.call(ctx, () -> {
            SoaBuffer only = p.acquire(1);
            p.park(node, 4);
            return only;
        });
        SoaBuffer b = served.get(10, TimeUnit.SECONDS);
        assertThat(b).isNotNull();
        assertThat(b.slot()).isEqualTo(1);
        assertThat(b.capacity()).isEqualTo(4);
        assertThat(held.isReleased()).as("nobody released").isFalse();
        assertThat(p.pool().soaCapacity()).isEqualTo(2);
        assertThat(p.waitsServed()).isEqualTo(1);
        p.release(b);
        p.release(held);
    }

    @Test
    void pool_isFirstTouchedOnItsOwner_andReportsTheNodeOfTheOwnersCpu(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(2)));
        Thread owner = OnContext.call(ctx, Thread::currentThread);
        assertThat(p.pool().segmentTouchedBy(0)).isSameAs(owner);
        io.github.hotpool.core.NumaTopology t = io.github.hotpool.core.NumaTopology.system();
        assertThat(p.numaNode()).isEqualTo(t.nodeOfCpu(p.ownerCpu()));
        if (t.isKnown() && p.ownerCpu() >= 0) {
            assertThat(t.cpusOf(p.numaNode())).contains(p.ownerCpu());
        }
    }

    @Test
    void periodicCheck_shrinksAnIdlePoolWithoutAnyCall(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(2)
            .setCapacityPolicy(CapacityPolicy.GROW_ON_EXHAUSTION).setMaxSoaBuffers(6).setGrowthStep(2)
            .setIdleMillis(30).setCapacityCheckMillis(5)));
        OnContext.call(ctx, () -> p.pool().grow() && p.pool().grow());
        assertThat(p.pool().soaCapacity()).isEqualTo(6);
        awaitCondition("the periodic check shrinks the idle pool to 2", () -> p.pool().soaCapacity() == 2);
        assertThat(p.pool().shrinkCount()).isEqualTo(2);
    }

    @Test
    void fixedPool_neverStartsACapacityCheck_andStaysAsBuilt(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(2)
            .setExhaustionPolicy(ExhaustionPolicy.WAIT).setWaitTimeoutMillis(100)));
        SoaBuffer[] held = OnContext.call(ctx, () -> new SoaBuffer[] {p.acquire(1), p.acquire(1)});
        Future<SoaBuffer> waiting = OnContext.call(ctx, () -> p.acquireAsync(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> waiting.await(5, TimeUnit.SECONDS))
            .hasMessageContaining("within waitTimeoutMillis 100").hasMessageContaining("2 of 2 in use");
        assertThat(OnContext.call(ctx, p::maintainCapacity)).isZero();
        assertThat(p.pool().soaCapacity()).isEqualTo(2);
        assertThat(p.pool().growCount()).isZero();
        p.release(held[0]);
        p.release(held[1]);
    }
}
