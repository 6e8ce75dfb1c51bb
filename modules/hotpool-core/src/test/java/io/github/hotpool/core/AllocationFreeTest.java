package io.github.hotpool.core;

import io.github.hotpool.core.testing.AllocationMeter;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Warmed-up hot paths allocate 0 bytes, counted per thread. */
class AllocationFreeTest {

    private static final int WARMUPS = 30;
    private static final int LOOP = 20_000;

    private final BufferPool pool = new BufferPool(new PoolOptions());

    @Test
    void acquireWriteRelease_allocatesNothing() {
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP; i++) {
                SoaBuffer b = pool.acquire(8);
                b.set(i & 7, i, i + 1, i + 2).length(1).addRun(i + 1, 0, 1);
                pool.release(b, b.generation());
            }
        });
        assertThat(bytes).isZero();
    }

    @Test
    void adaptivePool_acquireReleaseAcrossSegments_andSteadyMaintain_allocateNothing() {
        BufferPool adaptive = new BufferPool(new PoolOptions().setName("adaptive").setSoaBuffers(4)
            .setCapacityPolicy(CapacityPolicy.GROW_ON_EXHAUSTION).setMaxSoaBuffers(12).setGrowthStep(4));
        assertThat(adaptive.grow()).isTrue();
        assertThat(adaptive.grow()).isTrue();
        SoaBuffer[] held = new SoaBuffer[12];
        long[] clock = {0};
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP / 12; i++) {
                for (int k = 0; k < held.length; k++) {
                    held[k] = adaptive.acquire(1 + (k & 7));
                    held[k].set(0, i, k, i + k);
                }
                if (adaptive.tryAcquire(1) != null) {
                    throw new AssertionError("a pool at its maximum of 12 handed out a 13th buffer");
                }
                for (int k = (i & 1) == 0 ? 0 : held.length - 1; k >= 0 && k < held.length; k += (i & 1) == 0 ? 1 : -1) {
                    adaptive.release(held[k], held[k].generation());
                }
                clock[0] += 1_000;
                adaptive.maintain(clock[0]); // at its maximum and busy: decides nothing, allocates nothing
            }
        });
        assertThat(adaptive.soaCapacity()).isEqualTo(12);
        assertThat(adaptive.segmentCount()).isEqualTo(3);
        assertThat(bytes).isZero();
    }

    @Test
    void tryAcquireOnExhaustedPool_andThrowingAcquire_allocateNothing() {
        BufferPool tiny = new BufferPool(new PoolOptions().setSoaBuffers(1).setReceipts(0).setReceiptsPerBuffer(0));
        tiny.acquire(8);
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP; i++) {
                if (tiny.tryAcquire(8) != null) {
                    throw new AssertionError("pool of one handed out a second buffer");
                }
                try {
                    tiny.acquire(8);
                    throw new AssertionError("exhausted pool acquired");
                } catch (PoolExhaustedException expected) {
                    // the pre-allocated, stackless instance
                }
            }
        });
        assertThat(bytes).isZero();
    }

    @Test
    void receiptGetResetAndHeldAttach_allocateNothing() {
        long bytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP / 10; i++) {
                for (int k = 0; k < 10; k++) {
                    pool.receipt().cycleId(i).hookId(k).aHash(i ^ k);
                }
                SoaBuffer b = pool.acquire(8);
                Receipt held = pool.acquireReceipt().lanes(8);
                b.attach(held);
                held.mergeFrom(held);
                pool.resetReceipts();
                b.close();
            }
        });
        assertThat(bytes).isZero();
        assertThat(pool.receiptsInUse()).isZero();
    }

    @Test
    void crossThreadRelease_allocatesNothingOnEitherThread() throws InterruptedException {
        // a spinning single-producer ring: JDK blocking queues allocate lock nodes under contention
        AtomicReferenceArray<SoaBuffer> handoff = new AtomicReferenceArray<>(8);
        AtomicLong releaserBytes = new AtomicLong(-1);
        int rounds = WARMUPS + 5; // AllocationMeter: WARMUPS runs, then five measured ones
        Thread releaser = new Thread(() -> {
            {
                // same shape as AllocationMeter: warm up, then keep the least of the measured rounds
                long least = Long.MAX_VALUE;
                for (int round = 0; round < rounds; round++) {
                    long before = AllocationMeter.threadAllocatedBytes();
                    for (int i = 0; i < LOOP; i++) {
                        SoaBuffer b;
                        while ((b = handoff.getAndSet(i & 7, null)) == null) {
                            Thread.onSpinWait();
                        }
                        b.close();
                    }
                    long after = AllocationMeter.threadAllocatedBytes();
                    if (round >= WARMUPS) {
                        least = Math.min(least, after - before);
                    }
                }
                releaserBytes.set(least);
            }
        }, "releaser");
        releaser.start();
        long ownerBytes = AllocationMeter.allocatedBytes(WARMUPS, () -> {
            for (int i = 0; i < LOOP; i++) {
                SoaBuffer b;
                while ((b = pool.tryAcquire(8)) == null) {
                    Thread.onSpinWait();
                }
                while (!handoff.compareAndSet(i & 7, null, b)) {
                    Thread.onSpinWait();
                }
            }
        });
        releaser.join(60_000);
        assertThat(ownerBytes).isZero();
        assertThat(releaserBytes.get()).isZero();
        assertThat(pool.remoteReleaseCount()).isEqualTo((long) rounds * LOOP);
        assertThat(pool.soaInUse()).isZero();
    }
}
