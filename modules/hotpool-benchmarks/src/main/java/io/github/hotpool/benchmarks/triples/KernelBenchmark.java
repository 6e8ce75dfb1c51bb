package io.github.hotpool.benchmarks.triples;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.RunTable;
import io.github.hotpool.core.Slab;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.github.hotpool.triples.HookOp;
import io.github.hotpool.triples.SpanReceipts;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hook kernels on full 8-lane runs of pooled SoA buffers, one op per {@link HookOp}; ns per
 * run; ticks = ns x nominal GHz (see docs/benchmarks.md). {@code kernel}: one run per call, with
 * its pooled receipt (goal <= 16 ticks on Temurin 25). {@code spanKernel}: one call over a span
 * of 64 runs, the rows of 64 buffers of one pool slab, into {@link SpanReceipts} (one word per
 * run, the rest once per span; goal <= 8 ticks per run on Temurin 25). Anchors: {@code baselineReadLanes}, the same 8 subject loads through
 * {@link Slab} summed with no predicate check, receipt or op logic, i.e. the floor for touching a
 * run, and {@code baselineReadLanesByteBuffer}, the same loads through the slab's ByteBuffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class KernelBenchmark {

    @Param({"ASK_SP", "ASK_SPO", "ASK_OP", "COUNT_SP_GE", "COUNT_SP_LE", "COUNT_SP_EQ", "COUNT_OP_GE",
        "COUNT_OP_LE", "COUNT_OP_EQ", "UNIQUE_SP", "COMPARE_O_EQ", "COMPARE_O_GT", "COMPARE_O_LT",
        "COMPARE_O_GE", "COMPARE_O_LE", "VALIDATE_DATATYPE_SP", "VALIDATE_DATATYPE_SPO", "CONSTRUCT8"})
    public String op;

    /** Runs per span. */
    public static final int SPAN = 64;

    private BufferPool pool;
    private SoaBuffer run;
    private SoaBuffer out;
    private Receipt receipt;
    private Hook hook;
    private final RunTable runs = new RunTable(SPAN);
    private final SpanReceipts spanReceipts = new SpanReceipts(SPAN);
    private final Slab spanOut = Slab.allocate((long) SPAN * SoaLayout.BUFFER_LENGTH);
    private long cycle;

    @Setup
    public void setup() {
        pool = new BufferPool(new PoolOptions().setSoaBuffers(SPAN + 2));
        run = pool.acquire(8);
        out = pool.acquire(8);
        fill(run);
        receipt = pool.acquireReceipt();
        hook = Hook.of(1, op, HookOp.valueOf(op), 100, 2, 13, 2);
        for (int r = 0; r < SPAN; r++) {
            runs.addRunsOf(fill(pool.acquire(8)));
        }
    }

    /** Subjects 1,2,3,4,1,2,3,4 (two lanes match s=2), predicate 100 throughout, objects 10..17. */
    private static SoaBuffer fill(SoaBuffer b) {
        for (int i = 0; i < 8; i++) {
            b.set(i, 1 + (i & 3), 100, 10 + i);
        }
        return b.length(8).addRun(100, 0, 8);
    }

    @TearDown
    public void tearDown() {
        receipt.close();
        pool.close();
    }

    /** The op on the 8-lane run; CONSTRUCT8 rewinds its output buffer first. */
    @Benchmark
    public long kernel() {
        if (hook.op() == HookOp.CONSTRUCT8) {
            return HookKernels.construct8(hook, run, 0, out.length(0), receipt);
        }
        return HookKernels.eval(hook, run, 0, receipt);
    }

    /** The op over all 64 runs of the span in one call; score per run. */
    @Benchmark
    @OperationsPerInvocation(SPAN)
    public int spanKernel() {
        if (hook.op() == HookOp.CONSTRUCT8) {
            return HookKernels.constructSpan(hook, pool.soaMemory(), runs, spanOut, 0, spanReceipts, cycle++);
        }
        return HookKernels.evalSpan(hook, pool.soaMemory(), runs, spanReceipts, cycle++);
    }

    /**
     * Floor of {@code spanKernel}: one S-line scan ({@link Slab#liveAndEqualLanes}) per row of the
     * span's 64 rows, the answers summed; no run table, predicate check, decision or receipt.
     * Score per run, as {@code spanKernel}'s.
     */
    @Benchmark
    @OperationsPerInvocation(SPAN)
    public int baselineSpanScan() {
        final Slab rows = pool.soaMemory();
        int sum = 0;
        for (int i = 0; i < SPAN; i++) {
            sum += rows.liveAndEqualLanes(runs.rowOffset(i), 2);
        }
        return sum;
    }

    /** Floor: read the run's 8 subjects through the lane-access path ({@link Slab}) and sum them. */
    @Benchmark
    public long baselineReadLanes() {
        long sum = 0;
        Slab m = run.memory();
        int base = run.base();
        for (int i = 0; i < 8; i++) {
            sum += m.getLong(base + 8 * i);
        }
        return sum;
    }

    /** The same 8 loads through the slab's direct ByteBuffer, the only path before Slab. */
    @Benchmark
    public long baselineReadLanesByteBuffer() {
        long sum = 0;
        int base = run.base();
        for (int i = 0; i < 8; i++) {
            sum += run.slab().getLong(base + 8 * i);
        }
        return sum;
    }
}
