package io.github.hotpool.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counters read on a third thread while the owner leases and another thread releases: what the
 * reader sees must be a state the pool could have been in (0..capacity buffers in use, never more
 * released than acquired), however the reader is scheduled between its loads.
 */
class CounterSnapshotStressTest {

    private static final int LEASES = 20_000;

    @Test
    void countersReadOffOwner_neverShowANegativeOrOverfullPool() throws InterruptedException {
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(1).setReceipts(1).setReceiptsPerBuffer(1));
        SynchronousQueue<SoaBuffer> handOff = new SynchronousQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong impossible = new AtomicLong();
        AtomicReference<String> firstImpossible = new AtomicReference<>();
        Thread releaser = new Thread(() -> {
            try {
                for (int i = 0; i < LEASES; i++) {
                    handOff.take().close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "releaser");
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                int inUse = pool.soaInUse();
                PoolStats s = pool.stats();
                if (inUse < 0 || inUse > 1 || s.released() > s.acquired()) {
                    impossible.incrementAndGet();
                    firstImpossible.compareAndSet(null, "soaInUse=" + inUse + ", " + s);
                }
            }
        }, "reader");
        releaser.start();
        reader.start();
        for (int i = 0; i < LEASES; i++) {
            SoaBuffer b;
            while ((b = pool.tryAcquire(1)) == null) {
                Thread.yield();
            }
            handOff.put(b);
        }
        releaser.join();
        done.set(true);
        reader.join();
        assertThat(impossible.get()).as("first impossible reading: %s", firstImpossible.get()).isZero();
        assertThat(pool.releasedCount()).isEqualTo(LEASES);
    }
}
