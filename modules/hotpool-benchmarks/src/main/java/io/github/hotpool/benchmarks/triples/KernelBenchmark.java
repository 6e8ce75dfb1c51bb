package io.github.hotpool.benchmarks.triples;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.Hook;
import io.github.hotpool.triples.HookKernels;
import io.github.hotpool.triples.HookOp;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One hook kernel over a full 8-lane run of a pooled SoA buffer, writing its pooled receipt;
 * one op per {@link HookOp}. Reports ns/op; ticks = ns x nominal GHz (see docs/benchmarks.md).
 * The goal is <= 8 ticks per op. Anchor: {@code baselineReadLanes}, the same 8 subject loads
 * summed with no predicate check, receipt or op logic, i.e. the floor for touching the run.
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

    private BufferPool pool;
    private SoaBuffer run;
    private SoaBuffer out;
    private Receipt receipt;
    private Hook hook;

    @Setup
    public void setup() {
        pool = new BufferPool(new PoolOptions());
        run = pool.acquire(8);
        out = pool.acquire(8);
        for (int i = 0; i < 8; i++) {
            run.set(i, 1 + (i & 3), 100, 10 + i);
        }
        run.length(8).addRun(100, 0, 8);
        receipt = pool.acquireReceipt();
        hook = Hook.of(1, op, HookOp.valueOf(op), 100, 2, 13, 2);
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

    /** Floor: read the run's 8 subjects from the slab and sum them. */
    @Benchmark
    public long baselineReadLanes() {
        long sum = 0;
        int base = run.base();
        for (int i = 0; i < 8; i++) {
            sum += run.slab().getLong(base + 8 * i);
        }
        return sum;
    }
}
