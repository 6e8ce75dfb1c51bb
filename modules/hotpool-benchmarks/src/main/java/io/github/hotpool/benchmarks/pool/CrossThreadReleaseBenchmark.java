package io.github.hotpool.benchmarks.pool;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.netty.util.Recycler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Acquire on one thread, release on another — the event-bus hand-off pattern — for Hotpool
 * (release through the pool's lock-free return ring) and for Netty's {@code Recycler}
 * (cross-thread recycle). Each pair of threads shares a single-producer ring of 1024 cells.
 *
 * <p>Read the {@code acquire} method's score: it is the owner's cost per lease, including the
 * wait for a buffer when every one is out; the {@code release} side returns immediately when
 * there is nothing to release, so its raw count is not a per-lease figure. With {@code -prof gc}
 * the normalised allocation is per operation of both threads together.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CrossThreadReleaseBenchmark {

    private static final int RING = 1024;
    private static final int MAX_SPINS = 100_000;

    /*
     * Waits are bounded: JMH ends an iteration by letting each thread finish its current call,
     * so an unbounded wait for the other thread could hang once that thread has stopped.
     */
    private static <T> boolean offer(AtomicReferenceArray<T> ring, int cell, T value) {
        for (int spins = 0; spins < MAX_SPINS; spins++) {
            if (ring.compareAndSet(cell, null, value)) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    /** A pooled pair: owner-side pool, created lazily on the acquiring thread, and the hand-off ring. */
    @State(Scope.Group)
    public static class HotpoolPair {
        volatile BufferPool pool;
        final AtomicReferenceArray<SoaBuffer> ring = new AtomicReferenceArray<>(RING);
        long produced;
        long consumed;

        BufferPool ownerPool() {
            BufferPool p = pool;
            if (p == null) {
                p = new BufferPool(new PoolOptions().setName("cross").setSoaBuffers(RING).setReceipts(0).setReceiptsPerBuffer(0));
                pool = p;
            }
            return p;
        }
    }

    /** The Netty recycler pair. */
    @State(Scope.Group)
    public static class NettyPair {
        final Recycler<HeapSoa> recycler = new Recycler<>() {
            @Override
            protected HeapSoa newObject(Handle<HeapSoa> handle) {
                HeapSoa soa = new HeapSoa();
                soa.handle = handle;
                return soa;
            }
        };
        final AtomicReferenceArray<HeapSoa> ring = new AtomicReferenceArray<>(RING);
        long produced;
        long consumed;
    }

    @Benchmark
    @Group("hotpoolCrossThreadRelease")
    @GroupThreads(1)
    public long acquire(HotpoolPair pair) {
        BufferPool pool = pair.ownerPool();
        SoaBuffer b = null;
        for (int spins = 0; b == null && spins < MAX_SPINS; spins++) {
            b = pool.tryAcquire(8);
        }
        if (b == null) {
            return -1; // the releaser has stopped (end of iteration) or fell far behind
        }
        b.setSubject(0, pair.produced);
        int cell = (int) (pair.produced & (RING - 1));
        if (!offer(pair.ring, cell, b)) {
            b.close();
            return -2;
        }
        pair.produced++;
        return pair.produced;
    }

    @Benchmark
    @Group("hotpoolCrossThreadRelease")
    @GroupThreads(1)
    public long release(HotpoolPair pair) {
        int cell = (int) (pair.consumed & (RING - 1));
        SoaBuffer b = pair.ring.getAndSet(cell, null);
        if (b == null) {
            return -1;
        }
        pair.consumed++;
        long s = b.subject(0);
        b.close();
        return s;
    }

    @Benchmark
    @Group("nettyCrossThreadRecycle")
    @GroupThreads(1)
    public long get(NettyPair pair) {
        HeapSoa soa = pair.recycler.get().clear();
        soa.lanes[0] = pair.produced;
        int cell = (int) (pair.produced & (RING - 1));
        if (!offer(pair.ring, cell, soa)) {
            return -2; // dropped: the recycler allocates anew next time, as it would in production
        }
        pair.produced++;
        return pair.produced;
    }

    @SuppressWarnings("unchecked")
    @Benchmark
    @Group("nettyCrossThreadRecycle")
    @GroupThreads(1)
    public long recycle(NettyPair pair) {
        int cell = (int) (pair.consumed & (RING - 1));
        HeapSoa soa = pair.ring.getAndSet(cell, null);
        if (soa == null) {
            return -1;
        }
        pair.consumed++;
        long s = soa.lanes[0];
        ((Recycler.Handle<HeapSoa>) soa.handle).recycle(soa);
        return s;
    }
}
