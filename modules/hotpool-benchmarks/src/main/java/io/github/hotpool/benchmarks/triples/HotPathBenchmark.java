package io.github.hotpool.benchmarks.triples;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.github.hotpool.triples.HookOp;
import io.github.hotpool.triples.Loader;
import io.github.hotpool.triples.TripleBatch;
import java.util.concurrent.TimeUnit;
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
 * SoA buffer and pooled receipts and gives them back; {@code allocating} does the same work on
 * fresh heap arrays and a fresh receipt array per batch, the way the original pipeline did
 * before the pool. Read ns/op, ticks (ns x nominal GHz) and {@code gc.alloc.rate.norm} B/op
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

    /** Same load and ASK_SP logic on fresh heap arrays per batch, receipts as fresh long[8]. */
    @Benchmark
    public long allocating() {
        long[] s = new long[8];
        long[] p = new long[8];
        long[] o = new long[8];
        long[] runPred = new long[8];
        int[] runOff = new int[8];
        int[] runLen = new int[8];
        int runs = 0;
        int lane = 0;
        int placed = 0;
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            if ((placed & 1 << i) != 0) {
                continue;
            }
            long pred = batch.predicate(i);
            int off = lane;
            for (int j = i; j < n; j++) {
                if ((placed & 1 << j) == 0 && batch.predicate(j) == pred) {
                    s[lane] = batch.subject(j);
                    p[lane] = pred;
                    o[lane] = batch.object(j);
                    lane++;
                    placed |= 1 << j;
                }
            }
            runPred[runs] = pred;
            runOff[runs] = off;
            runLen[runs++] = lane - off;
        }
        long acc = 0;
        for (int r = 0; r < runs; r++) {
            Hook hook = hooks[r];
            long[] receipt = new long[8];
            long result = 0;
            if (runPred[r] == hook.predicate()) {
                for (int i = runOff[r]; i < runOff[r] + runLen[r]; i++) {
                    result |= s[i] != 0 && s[i] == hook.subject() ? 1 : 0;
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
