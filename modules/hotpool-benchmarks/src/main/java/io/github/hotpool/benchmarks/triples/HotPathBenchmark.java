package io.github.hotpool.benchmarks.triples;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.github.hotpool.triples.HookOp;
import io.github.hotpool.triples.Loader;
import io.github.hotpool.triples.TripleBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The original design's headline experiment: load + reflex on one 8-triple batch (2 predicate
 * runs, one ASK_SP hook per run, one receipt per evaluation). {@code pooled} acquires a pooled
 * SoA buffer and pooled receipts and gives them back; {@code allocating} does the same work (the
 * same grouping of the batch into runs as {@code Loader}, the same ASK_SP test) on
 * fresh heap arrays and a fresh receipt array per batch, the way the original pipeline did
 * before the pool; {@code allocatingAligned} puts the lanes in a fresh 64-byte-aligned direct
 * buffer instead, which is what the original's aligned arrays cost when made anew in Java. Read ns/op, ticks (ns x nominal GHz) and {@code gc.alloc.rate.norm} B/op
 * side by side: that difference is what the pool buys (the original promised "8 -> 7 ticks").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HotPathBenchmark {

    private static final long P1 = 100;
    private static final long P2 = 200;

    private BufferPool pool;
    private final TripleBatch batch = new TripleBatch();
    private final Hook[] hooks = {Hook.of(1, "a", HookOp.ASK_SP, P1, 3, 0, 0), Hook.of(2, "b", HookOp.ASK_SP, P2, 4, 0, 0)};

    @Setup
    public void setup() {
        pool = new BufferPool(new PoolOptions());
        for (int i = 0; i < 8; i++) {
            batch.add(1 + i, i % 2 == 0 ? P1 : P2, 50 + i);
        }
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    /** Pooled SoA buffer and pooled receipts. */
    @Benchmark
    public long pooled() {
        SoaBuffer buffer = pool.acquire(8);
        int runs = Loader.loadInto(batch, buffer);
        long acc = 0;
        for (int r = 0; r < runs; r++) {
            Hook hook = hooks[r];
            Receipt receipt = pool.receipt();
            acc += HookKernels.eval(hook, buffer, r, receipt) + receipt.aHash();
        }
        pool.resetReceipts();
        pool.release(buffer);
        return acc;
    }

    /**
     * {@code pooled} without the two kernel calls (the receipts are still leased, read and
     * reset): with {@code pooled}, it splits the pooled path into the pool's part and the
     * kernels' part.
     */
    @Benchmark
    public long pooledWithoutKernels() {
        SoaBuffer buffer = pool.acquire(8);
        int runs = Loader.loadInto(batch, buffer);
        long acc = 0;
        for (int r = 0; r < runs; r++) {
            Receipt receipt = pool.receipt();
            acc += hooks[r].id() + receipt.aHash();
        }
        pool.resetReceipts();
        pool.release(buffer);
        return acc;
    }

    /**
     * {@code pooled}'s leases alone: the buffer and two run-scoped receipts leased and given back,
     * nothing loaded, read or evaluated. Against {@code allocating - heapReused} (what allocation
     * costs) it is what the pool costs in their place.
     */
    @Benchmark
    public int leasesOnly() {
        SoaBuffer buffer = pool.acquire(8);
        Receipt a = pool.receipt();
        Receipt b = pool.receipt();
        pool.resetReceipts();
        pool.release(buffer);
        return a.index() + b.index() + buffer.slot();
    }

    private final AtomicIntegerArray word = new AtomicIntegerArray(16);
    private int wordValue;

    /**
     * Anchor: one uncontended compare-and-set on an int, the operation a buffer release is built
     * on (it is what makes a double release from two threads detected, not silent).
     */
    @Benchmark
    public boolean anchorCompareAndSet() {
        int v = wordValue;
        wordValue = v + 2;
        return word.compareAndSet(8, v, v + 2);
    }

    /** Anchor: the same word written with a release store, as a run-scoped receipt's lease ends. */
    @Benchmark
    public void anchorReleaseStore() {
        int v = wordValue;
        wordValue = v + 2;
        word.lazySet(8, v + 2);
    }

    /** Same load and ASK_SP logic on fresh heap arrays per batch, receipts as fresh long[8]. */
    @Benchmark
    public long allocating() {
        return loadAndAsk(new HeapLanes(), new long[8], new int[8], new int[8], new long[8], null);
    }

    private final HeapLanes reusedLanes = new HeapLanes();
    private final long[] reusedRunPred = new long[8];
    private final int[] reusedRunOff = new int[8];
    private final int[] reusedRunLen = new int[8];
    private final long[] reusedGroups = new long[8];
    private final long[][] reusedReceipts = {new long[8], new long[8]};

    /**
     * {@code allocating} with its arrays made once and reused (nothing zeroed between batches,
     * which this work does not need): the same work with neither allocation nor a pool, so that
     * {@code allocating - heapReused} is what allocating costs and {@code pooled - heapReused}
     * what the pool's leases cost.
     */
    @Benchmark
    public long heapReused() {
        return loadAndAsk(reusedLanes, reusedRunPred, reusedRunOff, reusedRunLen, reusedGroups, reusedReceipts);
    }

    /**
     * The same on a fresh 64-byte-aligned direct buffer per batch: the Java equivalent of the
     * original's freshly built {@code #[repr(align(64))]} SoA arrays, which is what a pool of
     * aligned off-heap buffers saves.
     */
    @Benchmark
    public long allocatingAligned() {
        return loadAndAsk(new DirectLanes(), new long[8], new int[8], new int[8], new long[8], null);
    }

    /** Where a batch's three lanes live. */
    private interface Lanes {
        void set(int lane, long s, long p, long o);

        long subject(int lane);
    }

    private static final class HeapLanes implements Lanes {
        final long[] s = new long[8];
        final long[] p = new long[8];
        final long[] o = new long[8];

        @Override
        public void set(int lane, long sv, long pv, long ov) {
            s[lane] = sv;
            p[lane] = pv;
            o[lane] = ov;
        }

        @Override
        public long subject(int lane) {
            return s[lane];
        }
    }

    private static final class DirectLanes implements Lanes {
        final ByteBuffer slab = ByteBuffer.allocateDirect(SoaLayout.BUFFER_LENGTH + SoaLayout.CACHE_LINE_LENGTH - 1)
            .alignedSlice(SoaLayout.CACHE_LINE_LENGTH).order(ByteOrder.nativeOrder());

        @Override
        public void set(int lane, long sv, long pv, long ov) {
            slab.putLong(SoaLayout.S_OFFSET + 8 * lane, sv);
            slab.putLong(SoaLayout.P_OFFSET + 8 * lane, pv);
            slab.putLong(SoaLayout.O_OFFSET + 8 * lane, ov);
        }

        @Override
        public long subject(int lane) {
            return slab.getLong(SoaLayout.S_OFFSET + 8 * lane);
        }
    }

    /**
     * The work of {@code allocating} on the arrays given: the run table, the grouping's scratch,
     * and either two receipts to reuse or null for a fresh receipt per run.
     */
    private long loadAndAsk(Lanes lanes, long[] runPred, int[] runOff, int[] runLen, long[] groups, long[][] receipts) {
        // the loader's grouping (Loader.plan): runs in order of first appearance
        long members = 0;
        int runs = 0;
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            long pred = batch.predicate(i);
            int g = 0;
            while (g < runs && groups[g] != pred) {
                g++;
            }
            if (g == runs) {
                groups[runs++] = pred;
            }
            members |= 1L << (8 * g + i);
        }
        int lane = 0;
        for (int g = 0; g < runs; g++) {
            runPred[g] = groups[g];
            runOff[g] = lane;
            for (int m = (int) (members >>> (8 * g)) & 0xFF; m != 0; m &= m - 1) {
                int j = Integer.numberOfTrailingZeros(m);
                lanes.set(lane++, batch.subject(j), groups[g], batch.object(j));
            }
            runLen[g] = lane - runOff[g];
        }
        long acc = 0;
        for (int r = 0; r < runs; r++) {
            Hook hook = hooks[r];
            long[] receipt = receipts != null ? receipts[r] : new long[8];
            long result = 0;
            if (runPred[r] == hook.predicate()) {
                for (int i = runOff[r]; i < runOff[r] + runLen[r]; i++) {
                    long s = lanes.subject(i);
                    result |= s != 0 && s == hook.subject() ? 1 : 0;
                }
            }
            receipt[0] = hook.id();
            receipt[6] = hook.subject() ^ hook.predicate() ^ hook.object() ^ hook.k() ^ result ^ runPred[r];
            receipt[7] = result;
            acc += result + receipt[6];
        }
        return acc;
    }
}
