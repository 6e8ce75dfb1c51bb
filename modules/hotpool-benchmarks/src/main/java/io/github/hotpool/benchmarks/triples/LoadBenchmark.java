package io.github.hotpool.benchmarks.triples;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.triples.Loader;
import io.github.hotpool.triples.TripleBatch;
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
 * {@code Loader.loadInto} of one 8-triple batch into a pooled SoA buffer, in ns per batch, for
 * 1, 3 and 8 distinct predicates (1 run, typical, worst case). Anchor: {@code copyOnly}, the
 * same 24 ids written to the buffer in input order without grouping or runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class LoadBenchmark {

    @Param({"1", "3", "8"})
    public int predicates;

    private BufferPool pool;
    private SoaBuffer buffer;
    private final TripleBatch batch = new TripleBatch();

    @Setup
    public void setup() {
        pool = new BufferPool(new PoolOptions());
        buffer = pool.acquire(8);
        for (int i = 0; i < 8; i++) {
            batch.add(1000 + i, 100 + (i * 5) % predicates, 2000 + i);
        }
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    /** Group by predicate into runs. */
    @Benchmark
    public int loadInto() {
        return Loader.loadInto(batch, buffer);
    }

    /** Anchor: plain copy of the batch into the lanes. */
    @Benchmark
    public int copyOnly() {
        for (int i = 0; i < 8; i++) {
            buffer.set(i, batch.subject(i), batch.predicate(i), batch.object(i));
        }
        return buffer.length(8).length();
    }
}
