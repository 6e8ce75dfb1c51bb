package io.github.hotpool.benchmarks.pool;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import io.netty.util.Recycler;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One lease of an 8-triple SoA buffer on the owner thread — get it (cleared), write a triple,
 * give it back — in Hotpool and in the anchors, measured side by side in one run:
 * Netty's {@code Recycler} (already on a Vert.x classpath), commons-pool2's
 * {@code GenericObjectPool}, a plain {@code ArrayDeque} free list, and plain allocation of the
 * equivalent heap object (consumed by a Blackhole so it cannot be scalar-replaced).
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes each lease costs.
 * Cross-thread release lives in {@link CrossThreadReleaseBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class PoolBenchmark {

    private BufferPool pool;
    private Recycler<HeapSoa> recycler;
    private GenericObjectPool<HeapSoa> commons;
    private ArrayDeque<HeapSoa> deque;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new BufferPool(new PoolOptions().setName("bench"));
        recycler = new Recycler<>() {
            @Override
            protected HeapSoa newObject(Handle<HeapSoa> handle) {
                HeapSoa soa = new HeapSoa();
                soa.handle = handle;
                return soa;
            }
        };
        GenericObjectPoolConfig<HeapSoa> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(16);
        config.setJmxEnabled(false);
        commons = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
            @Override
            public HeapSoa create() {
                return new HeapSoa();
            }

            @Override
            public PooledObject<HeapSoa> wrap(HeapSoa obj) {
                return new DefaultPooledObject<>(obj);
            }
        }, config);
        deque = new ArrayDeque<>(16);
        for (int i = 0; i < 16; i++) {
            deque.push(new HeapSoa());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        commons.close();
        pool.close();
    }

    /** Hotpool: acquire(8) (zeroes the three lanes), write one triple, release on the owner. */
    @Benchmark
    public long hotpoolAcquireRelease() {
        long id = ++next;
        SoaBuffer b = pool.acquire(8);
        b.set(0, id, id + 1, id + 2);
        long s = b.subject(0);
        b.close();
        return s;
    }

    /** Hotpool: one run-scoped receipt, filled, then the run reset (the original get/reset cycle). */
    @Benchmark
    public long hotpoolReceipt() {
        long id = ++next;
        Receipt r = pool.receipt();
        r.cycleId(id).hookId(1).lanes(8).aHash(id * 31);
        long h = r.aHash();
        pool.resetReceipts();
        return h;
    }

    /** Netty Recycler: get, clear, write, recycle on the same thread. */
    @SuppressWarnings("unchecked")
    @Benchmark
    public long nettyRecyclerGetRecycle() {
        long id = ++next;
        HeapSoa soa = recycler.get().clear();
        long s = soa.writeTriple(id);
        ((Recycler.Handle<HeapSoa>) soa.handle).recycle(soa);
        return s;
    }

    /** commons-pool2: borrow, clear, write, return. */
    @Benchmark
    public long commonsPool2BorrowReturn() throws Exception {
        long id = ++next;
        HeapSoa soa = commons.borrowObject().clear();
        long s = soa.writeTriple(id);
        commons.returnObject(soa);
        return s;
    }

    /** A plain ArrayDeque free list: pop, clear, write, push. */
    @Benchmark
    public long arrayDequePool() {
        long id = ++next;
        HeapSoa soa = deque.pop().clear();
        long s = soa.writeTriple(id);
        deque.push(soa);
        return s;
    }

    /** No pool: a fresh heap object per use, escaping into a Blackhole. */
    @Benchmark
    public void plainNew(Blackhole bh) {
        long id = ++next;
        HeapSoa soa = new HeapSoa();
        soa.writeTriple(id);
        bh.consume(soa);
    }
}
