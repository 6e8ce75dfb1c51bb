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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binding's hot paths allocate nothing: owner acquire/release with leak watch, release from
 * another thread, the release listener waking the owner for waiting requests, and parked waits
 * (park, serve, unpark, and a remote close waking a parked node).
 */
@ExtendWith(VertxExtension.class)
class AllocationTest {

    /** Tests here end with buffers out on purpose: their pools' close reports are checked, not logged. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final PoolReportCapture REPORTS = PoolReportCapture.expectingClosedWithBuffersOut(2, 1024);

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
    void ownerAcquireAndRelease_acrossGrownSegments_withAdaptiveCapacityOn_allocateNothing(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        long bytes = OnContext.call(ctx, () -> {
            ContextPool p = ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(4)
                .setCapacityPolicy(io.github.hotpool.core.CapacityPolicy.GROW_ON_EXHAUSTION).setMaxSoaBuffers(12)
                .setGrowthStep(4).setCapacityCheckMillis(60_000));
            if (!(p.pool().grow() && p.pool().grow())) {
                throw new AssertionError("the pool did not grow to 12");
            }
            SoaBuffer[] held = new SoaBuffer[12];
            return AllocationMeter.allocatedBytes(200, () -> {
                for (int i = 0; i < 100; i++) {
                    for (int k = 0; k < held.length; k++) {
                        held[k] = p.acquire(8);
                    }
                    for (int k = 0; k < held.length; k++) {
                        if ((k & 1) == 0) {
                            p.release(held[k]);
                        } else {
                            held[k].close();
                        }
                    }
                    p.maintainCapacity(); // busy and at its maximum: no change, nothing allocated
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

    /** A reusable node that keeps what it is served in {@code into[at]}. */
    private static final class Keeper extends ContextPool.Parking {
        final SoaBuffer[] into;
        final int at;

        Keeper(SoaBuffer[] into, int at) {
            this.into = into;
            this.at = at;
        }

        @Override
        protected void onBuffer(SoaBuffer b) {
            into[at] = b;
        }
    }

    @Test
    void parkServeAndUnpark_onTheOwner_allocateNothing(Vertx vertx) throws Exception {
        Context ctx = OnContext.newContext(vertx);
        long[] servedAndLeft = new long[2];
        long bytes = OnContext.call(ctx, () -> {
            ContextPool p = ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(64));
            SoaBuffer[] held = new SoaBuffer[64];
            SoaBuffer[] served = new SoaBuffer[64];
            Keeper[] nodes = new Keeper[64];
            for (int i = 0; i < 64; i++) {
                nodes[i] = new Keeper(served, i);
            }
            long result = AllocationMeter.allocatedBytes(200, () -> {
                for (int i = 0; i < 64; i++) {
                    held[i] = p.acquire(8);
                }
                for (int i = 0; i < 64; i++) {
                    p.park(nodes[i], 1 + (i & 7)); // every buffer is out: each node parks
                }
                for (int i = 1; i < 64; i += 2) {
                    p.unpark(nodes[i]);
                }
                for (int i = 0; i < 64; i++) {
                    p.release(held[i]); // the first 32 serve the even nodes at once, the rest stay free
                }
                for (int i = 0; i < 64; i += 2) {
                    p.release(served[i]);
                    served[i] = null;
                }
            });
            servedAndLeft[0] = p.waitsServed();
            servedAndLeft[1] = p.pool().soaInUse();
            return result;
        });
        assertThat(bytes).isZero();
        assertThat(servedAndLeft[0]).isEqualTo(205L * 32);
        assertThat(servedAndLeft[1]).isZero();
    }

    @Test
    void closeOnAnotherThreadWhileNodesAreParked_wakesThemWithoutAllocatingOnEitherThread(Vertx vertx)
        throws Exception {
        Context ctx = OnContext.newContext(vertx);
        ContextPool p = OnContext.call(ctx, () -> ContextPools.install(ctx, new HotpoolOptions().setSoaBuffers(BATCH)));
        SoaBuffer[] held = new SoaBuffer[BATCH];
        long[] ownerSpan = new long[2];
        CompletableFuture<?>[] allServed = new CompletableFuture<?>[1];
        ContextPool.Parking[] nodes = new ContextPool.Parking[BATCH];
        for (int i = 0; i < BATCH; i++) {
            int at = i;
            nodes[i] = new ContextPool.Parking() {
                @Override
                protected void onBuffer(SoaBuffer b) {
                    if (at == 0) {
                        ownerSpan[0] = AllocationMeter.threadAllocatedBytes();
                    }
                    held[at] = b;
                    if (at == BATCH - 1) {
                        ownerSpan[1] = AllocationMeter.threadAllocatedBytes();
                        allServed[0].complete(null); // after the measured span
                    }
                }
            };
        }
        OnContext.call(ctx, () -> {
            for (int i = 0; i < BATCH; i++) {
                held[i] = p.acquire(1);
            }
            return null;
        });
        int rounds = 60;
        long leastReleasing = Long.MAX_VALUE;
        long leastOwner = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            allServed[0] = new CompletableFuture<>();
            OnContext.call(ctx, () -> {
                for (int i = 0; i < BATCH; i++) {
                    p.park(nodes[i], 1);
                }
                return null;
            });
            assertThat(p.waitQueueSize()).isEqualTo(BATCH);
            CountDownLatch go = new CountDownLatch(1);
            ctx.runOnContext(v -> awaitQuietly(go)); // owner busy: one wake task will serve every node
            long before = AllocationMeter.threadAllocatedBytes();
            for (int i = 0; i < BATCH; i++) {
                held[i].close(); // core close() on this non-owner thread
            }
            long after = AllocationMeter.threadAllocatedBytes();
            go.countDown();
            allServed[0].get(5, TimeUnit.SECONDS);
            if (round >= 40) { // after warm-up
                leastReleasing = Math.min(leastReleasing, after - before);
                leastOwner = Math.min(leastOwner, ownerSpan[1] - ownerSpan[0]);
            }
        }
        assertThat(leastReleasing).as("releasing thread").isZero();
        assertThat(leastOwner).as("owner, serving %d parked nodes", BATCH).isZero();
        assertThat(p.waitsServed()).isEqualTo((long) rounds * BATCH);
        assertThat(p.pool().remoteReleaseCount()).isEqualTo((long) rounds * BATCH);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
