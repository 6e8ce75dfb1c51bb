package io.github.hotpool.benchmarks.ring;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
import io.github.hotpool.core.SoaBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The delta ring's hot path on one thread, beside the pool's lease it replaces in pipeline v2:
 * claim a row (zeroed), write one triple, publish, and let the stage(s) advance over it, against
 * {@code acquire(8)} (zeroed), write one triple, {@code release}. One thread plays every part, so
 * this is the cost of the bookkeeping and the memory traffic, not of a hand-off between threads.
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes per row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class RingBenchmark {

    private BufferPool pool;
    private DeltaRing ring;
    private DeltaRing.Row producerRow;
    private DeltaRing.Row stageRow;
    private DeltaRing chain;
    private DeltaRing.Row chainProducer;
    private DeltaRing.Row[] chainRows;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new BufferPool(new PoolOptions().setName("bench"));
        ring = new DeltaRing(new RingOptions().setName("bench").chain("emit"));
        producerRow = ring.row(Ring.PRODUCER);
        stageRow = ring.row(0);
        chain = new DeltaRing(new RingOptions().setName("chain").chain("transform", "load", "reflex", "emit"));
        chainProducer = chain.row(Ring.PRODUCER);
        chainRows = new DeltaRing.Row[4];
        for (int k = 0; k < 4; k++) {
            chainRows[k] = chain.row(k);
        }
    }

    /** Anchor: the pool's lease, as in PoolBenchmark.hotpoolAcquireRelease. */
    @Benchmark
    public long poolAcquireWriteRelease() {
        long id = ++next;
        SoaBuffer b = pool.acquire(8);
        b.set(0, id, id + 1, id + 2);
        long s = b.subject(0);
        b.close();
        return s;
    }

    /** One row: claim (zeroes 320 bytes), write a triple, publish, read it at the stage, advance. */
    @Benchmark
    public long ringClaimWritePublishAdvance() {
        long id = ++next;
        long seq = ring.tryClaim(1);
        producerRow.at(seq).set(0, id, id + 1, id + 2);
        ring.publish(seq + 1);
        long s = stageRow.at(seq).subject(0);
        ring.advance(0, seq + 1);
        return s;
    }

    /** Eight rows claimed, published and passed at once, as a stage handles a span: cost per row. */
    @Benchmark
    @OperationsPerInvocation(8)
    public long ringBatchOf8PerRow() {
        long id = ++next;
        long first = ring.tryClaim(8);
        for (long seq = first; seq < first + 8; seq++) {
            producerRow.at(seq).set(0, id, id + 1, seq);
        }
        ring.publish(first + 8);
        long s = 0;
        for (long seq = first; seq < first + 8; seq++) {
            s += stageRow.at(seq).object(0);
        }
        ring.advance(0, first + 8);
        return s;
    }

    /** One row through the pipeline's four stages: each reads it, checks the row status, advances. */
    @Benchmark
    public long ringChainOf4Stages() {
        long id = ++next;
        long seq = chain.tryClaim(1);
        chainProducer.at(seq).set(0, id, id + 1, id + 2);
        chain.publish(seq + 1);
        long s = 0;
        for (int k = 0; k < 4; k++) {
            DeltaRing.Row r = chainRows[k].at(seq);
            if (!r.isFailed()) {
                s += r.predicate(0);
            }
            chain.advance(k, seq + 1);
        }
        return s;
    }
}
