package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.testing.AllocationMeter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The binding's hot paths allocate nothing: owner acquire/release with leak watch, and release from another thread. */
@ExtendWith(VertxExtension.class)
class AllocationTest {

    private static final int BATCH = 512;

    @Test
    void ownerAcquireAndRelease_withSimpleLeakWatch_allocateNothing(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        long bytes = OnContext.call(ctx, () -> {
            ContextPool p = ContextPools.install(ctx, new HotpoolOptions().setLeakLevel(LeakLevel.SIMPLE));
            return AllocationMeter.allocatedBytes(200, () -> {
                for (int i = 0; i < 1_000; i++) {
                    SoaBuffer b = p.acquire(8);
                    b.set(0, i, i, i);
                    p.release(b);
                }
            });
        });
        assertThat(bytes).isZero();
    }

    @Test
    void releaseFromAnotherThread_returnsHomeWithoutAllocating(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(BATCH)));
        SoaBuffer[] batch = new SoaBuffer[BATCH];
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 60; round++) {
            OnContext.call(ctx, () -> {
                for (int i = 0; i < BATCH; i++) {
                    batch[i] = p.acquire(1);
                }
                return null;
            });
            long before = AllocationMeter.threadAllocatedBytes();
            for (int i = 0; i < BATCH; i++) {
                ContextPools.release(batch[i]); // this test thread is not the owner: MPSC ring
            }
            long after = AllocationMeter.threadAllocatedBytes();
            if (round >= 40) { // after warm-up
                least = Math.min(least, after - before);
            }
        }
        assertThat(least).isZero();
        assertThat(p.pool().remoteReleaseCount()).isEqualTo(60L * BATCH);
        assertThat(p.pool().soaInUse()).isZero();
    }
}
