package io.github.hotpool.vertx;

import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.testing.AllocationMeter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binding's hot paths allocate nothing: owner acquire/release with leak watch, release from
 * another thread, and the release listener waking the owner for waiting requests.
 */
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
                    if ((i & 1) == 0) {
                        p.release(b);
                    } else {
                        b.close(); // bypasses the binding: only the release listener hears it
                    }
                }
            });
        });
        assertThat(bytes).isZero();
    }

    @Test
    void closeOnAnotherThreadWhileRequestsWait_wakesTheOwnerWithoutAllocating(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(BATCH)
            .setExhaustionPolicy(ExhaustionPolicy.WAIT).setMaxWaitQueueSize(BATCH).setWaitTimeoutMillis(60_000)));
        SoaBuffer[] held = OnContext.call(ctx, () -> {
            SoaBuffer[] all = new SoaBuffer[BATCH];
            for (int i = 0; i < BATCH; i++) {
                all[i] = p.acquire(1);
            }
            return all;
        });
        int rounds = 60;
        long least = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            Future<?> served = OnContext.call(ctx, () -> { // every buffer is out: each request waits
                List<Future<SoaBuffer>> waits = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    int at = i;
                    waits.add(p.acquireAsync(1).onSuccess(b -> held[at] = b));
                }
                return Future.all(waits);
            });
            assertThat(p.waitQueueSize()).isEqualTo(BATCH);
            long before = AllocationMeter.threadAllocatedBytes();
            for (int i = 0; i < BATCH; i++) {
                held[i].close(); // core close() on this non-owner thread: the release listener wakes the owner
            }
            long after = AllocationMeter.threadAllocatedBytes();
            served.await(5, TimeUnit.SECONDS);
            if (round >= 40) { // after warm-up
                least = Math.min(least, after - before);
            }
        }
        assertThat(least).isZero();
        assertThat(p.waitsServed()).as("every request served by a wake-up, as nothing polls").isEqualTo((long) rounds * BATCH);
        assertThat(p.pool().remoteReleaseCount()).isEqualTo((long) rounds * BATCH);
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
