package io.github.hotpool.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Releases from several threads at once, for over a million operations (leases, remote releases, receipt
 * attach and release): no slot is lost (every
 * buffer comes home), none is duplicated (no two holders ever share a lease).
 */
class ConcurrentReleaseStressTest {

    private static final int RELEASERS = 3;
    private static final long LEASES = 1_000_000;

    @Test
    void manyReleasers_loseAndDuplicateNoSlot() throws InterruptedException {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(64).setReceipts(64).setReceiptsPerBuffer(1));
        @SuppressWarnings("unchecked") // a generic array: each slot is set to a ConcurrentLinkedQueue<SoaBuffer> below
        ConcurrentLinkedQueue<SoaBuffer>[] queues = (ConcurrentLinkedQueue<SoaBuffer>[]) new ConcurrentLinkedQueue<?>[RELEASERS];
        AtomicIntegerArray holders = new AtomicIntegerArray(64);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong releasedRemotely = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(RELEASERS);
        for (int t = 0; t < RELEASERS; t++) {
            ConcurrentLinkedQueue<SoaBuffer> q = queues[t] = new ConcurrentLinkedQueue<>();
            Thread releaser = new Thread(() -> {
                try {
                    while (!done.get() || !q.isEmpty()) {
                        SoaBuffer b = q.poll();
                        if (b == null) {
                            Thread.yield();
                            continue;
                        }
                        // the lane carries the slot it was written into: a duplicated lease would show here
                        if (b.subject(0) != b.slot() + 1L || holders.decrementAndGet(b.slot()) != 0) {
                            throw new AssertionError("lease of slot " + b.slot() + " shared or corrupted");
                        }
                        b.close();
                        releasedRemotely.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.countDown();
                }
            }, "releaser-" + t);
            releaser.setDaemon(true);
            releaser.start();
        }
        long ownerReleases = 0;
        for (long op = 0; op < LEASES && failure.get() == null; op++) {
            SoaBuffer b;
            while ((b = pool.tryAcquire(8)) == null) {
                Thread.yield();
            }
            if (holders.incrementAndGet(b.slot()) != 1) {
                throw new AssertionError("slot " + b.slot() + " handed out while leased");
            }
            b.setSubject(0, b.slot() + 1L);
            if ((op & 3) == 0) {
                b.attach(pool.acquireReceipt());
            }
            if ((op % 5) == 0) {
                holders.decrementAndGet(b.slot());
                b.close();
                ownerReleases++;
            } else {
                queues[(int) (op % RELEASERS)].add(b);
            }
        }
        done.set(true);
        assertThat(finished.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
        pool.clear(); // drains the ring on the owner
        assertThat(pool.soaInUse()).isZero();
        assertThat(pool.receiptsInUse()).isZero();
        assertThat(pool.releasedCount()).isEqualTo(pool.acquiredCount());
        assertThat(pool.remoteReleaseCount()).isEqualTo(releasedRemotely.get());
        assertThat(pool.acquiredCount()).isEqualTo(LEASES).isEqualTo(ownerReleases + releasedRemotely.get());
        // every slot is free exactly once: the pool hands out all 64 and then no more
        java.util.Set<SoaBuffer> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 64; i++) {
            distinct.add(pool.acquire(8));
        }
        assertThat(distinct).hasSize(64);
        assertThat(pool.tryAcquire(8)).isNull();
    }

    @Test
    void racingReleasesOfOneLease_exactlyOneWins() throws InterruptedException {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(1));
        for (int round = 0; round < 2_000; round++) {
            SoaBuffer b = pool.acquire(8);
            int lease = b.generation();
            AtomicLong wins = new AtomicLong();
            AtomicLong doubles = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            Thread[] racers = new Thread[2];
            for (int t = 0; t < racers.length; t++) {
                racers[t] = new Thread(() -> {
                    try {
                        go.await();
                        pool.release(b, lease);
                        wins.incrementAndGet();
                    } catch (DoubleReleaseException e) {
                        doubles.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                racers[t].start();
            }
            go.countDown();
            for (Thread t : racers) {
                t.join();
            }
            assertThat(wins.get()).as("round %d", round).isEqualTo(1);
            assertThat(doubles.get()).isEqualTo(1);
            assertThat(pool.soaInUse()).isZero();
        }
    }
}
