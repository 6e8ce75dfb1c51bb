package io.github.hotpool.benchmarks.pool;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.CapacityPolicy;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.SoaBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bursty producer/consumer over one pool. The owner acquires a burst of {@link #BURST} buffers
 * as fast as it can, writes each and hands it to a consumer, which works on it ({@link
 * #CONSUMER_TOKENS} of {@code Blackhole.consumeCPU}, four times slower than the producer) and
 * releases it. One operation is one burst, from its first acquire until the producer has handed
 * off its last buffer: the burst's latency as the producer sees it. Between bursts (a
 * per-invocation setup, outside the measured time) the consumer catches up, and after every
 * {@code burstsPerIdle} bursts the pool goes idle.
 *
 * <p>{@code mode}: {@code fixedSmall} ({@link #SMALL} buffers, fixed), {@code fixedLarge}
 * ({@link #LARGE}, fixed: the burst fits) and {@code adaptive} ({@link #SMALL} growing to
 * {@link #LARGE} in segments of {@link #STEP} under {@link CapacityPolicy#GROW_ON_EXHAUSTION}).
 * An acquire that finds every buffer in use is one <em>wait</em>; in adaptive mode the producer
 * first runs the pool's policy step, as the Vert.x binding's capacity keeper does from its own
 * task (never inside the acquire), then waits for the consumer like the fixed pools.
 *
 * <p>Two consumers: {@code burst} runs the consumer on the owner thread, one buffer per
 * {@link #PRODUCER_STEPS_PER_CONSUMER_STEP} producer steps and as many as a wait needs, so the
 * result does not depend on the operating system's scheduling of a shared machine;
 * {@code burstWithConsumerThread} runs it on its own thread, which releases through the pool's
 * remote return ring, and is at the mercy of that scheduling (on 2 shared cores its iterations
 * differ by 10x).
 *
 * <p>The idle phase is not slept: the policy takes its clock as an argument, so the benchmark
 * advances the clock it passes by {@code idleMillis} per step (as many steps as the policy
 * takes to settle), which is what the same wall time of idleness would do.
 *
 * <p>Auxiliary counters ({@code EVENTS}): {@code waitsPerOp}, acquires that found the pool
 * exhausted per burst in an iteration; {@code bytesAfterIdle}, the pool's SoA bytes reserved at
 * the end of the iteration's last idle phase. JMH sums {@code EVENTS} counters over the
 * measurement iterations in its score: divide by the iteration count, or read the
 * per-iteration values ({@code -rf json}, {@code rawData}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AdaptiveCapacityBenchmark {

    static final int SMALL = 32;
    static final int LARGE = 256;
    static final int STEP = 32;
    static final int BURST = 256;
    static final long IDLE_MILLIS = 100;
    static final long CONSUMER_TOKENS = 40;
    static final int PRODUCER_STEPS_PER_CONSUMER_STEP = 4;
    private static final int RING = 1024;

    /** The pool and what the modes share. */
    @State(Scope.Thread)
    public abstract static class Base {
        @Param({"fixedSmall", "fixedLarge", "adaptive"})
        public String mode;

        /** Bursts between two idle phases: how often an adaptive pool has shrunk back and must regrow. */
        @Param({"8", "64"})
        public int burstsPerIdle;

        BufferPool pool;
        boolean adaptive;
        long produced;
        long clockOffset;
        int burstsSinceIdle;
        long bytesAfterIdle;
        long sink;

        void build() {
            PoolOptions o = new PoolOptions().setName("bursty").setReceipts(0).setReceiptsPerBuffer(0);
            switch (mode) {
                case "fixedSmall" -> o.setSoaBuffers(SMALL);
                case "fixedLarge" -> o.setSoaBuffers(LARGE);
                case "adaptive" -> o.setSoaBuffers(SMALL).setCapacityPolicy(CapacityPolicy.GROW_ON_EXHAUSTION)
                    .setMaxSoaBuffers(LARGE).setGrowthStep(STEP).setIdleMillis(IDLE_MILLIS);
                default -> throw new IllegalArgumentException("mode must be fixedSmall, fixedLarge or adaptive: mode=" + mode);
            }
            pool = new BufferPool(o); // owned by the benchmark thread, which runs the trial setup (Scope.Thread)
            adaptive = pool.options().isAdaptive();
            bytesAfterIdle = pool.soaBytesReserved();
        }

        long now() {
            return System.nanoTime() + clockOffset;
        }

        long consume(SoaBuffer b) {
            long s = b.subject(0) + b.object(b.capacity() - 1);
            Blackhole.consumeCPU(CONSUMER_TOKENS);
            b.close();
            return s;
        }

        /* every burstsPerIdle bursts: policy steps a full idle period apart until the policy settles */
        void maybeIdle() {
            if (++burstsSinceIdle < burstsPerIdle) {
                return;
            }
            burstsSinceIdle = 0;
            if (adaptive) {
                int steps = 0;
                do {
                    clockOffset += TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
                } while (pool.maintain(now()) != 0 || steps++ < 1);
            }
            bytesAfterIdle = pool.soaBytesReserved();
        }
    }

    /** The consumer on the owner thread: a FIFO of handed-off buffers. */
    @State(Scope.Thread)
    public static class InThread extends Base {
        final SoaBuffer[] queue = new SoaBuffer[RING];
        long head;
        long tail;

        @Setup(Level.Trial)
        public void setUp() {
            build();
        }

        boolean consumeOne() {
            if (head == tail) {
                return false;
            }
            int cell = (int) (head++ & (RING - 1));
            SoaBuffer b = queue[cell];
            queue[cell] = null;
            sink += consume(b);
            return true;
        }

        /* the gap between bursts: the consumer catches up, then maybe the idle phase */
        @Setup(Level.Invocation)
        public void betweenBursts() {
            while (consumeOne()) {
                // drains
            }
            maybeIdle();
        }
    }

    /** The consumer on its own thread, releasing through the pool's remote return ring. */
    @State(Scope.Thread)
    public static class TwoThreads extends Base {
        final AtomicReferenceArray<SoaBuffer> ring = new AtomicReferenceArray<>(RING);
        volatile boolean stop;
        volatile long consumed;
        Thread consumer;

        @Setup(Level.Trial)
        public void setUp() {
            build();
            consumer = new Thread(this::run, "bursty-consumer");
            consumer.setDaemon(true);
            consumer.start();
        }

        private void run() {
            long next = 0;
            while (!stop) {
                SoaBuffer b = ring.getAndSet((int) (next & (RING - 1)), null);
                if (b == null) {
                    Thread.onSpinWait();
                    continue;
                }
                sink += consume(b);
                consumed = ++next;
            }
        }

        @Setup(Level.Invocation)
        public void betweenBursts() {
            while (consumed != produced) {
                Thread.onSpinWait();
            }
            maybeIdle();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop = true;
            consumer.join(10_000);
        }
    }

    /** Waits and bytes reserved, reported beside the throughput. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters {
        long waits;
        long bursts;
        public long bytesAfterIdle;

        @Setup(Level.Iteration)
        public void reset() {
            waits = 0;
            bursts = 0;
        }

        public double waitsPerOp() {
            return bursts == 0 ? 0 : (double) waits / bursts;
        }
    }

    @Benchmark
    public long burst(InThread rig, Counters counters) {
        BufferPool pool = rig.pool;
        for (int i = 0; i < BURST; i++) {
            SoaBuffer b = pool.tryAcquire(8);
            if (b == null) {
                counters.waits++;
                if (rig.adaptive) {
                    pool.maintain(rig.now());
                }
                while ((b = pool.tryAcquire(8)) == null) {
                    rig.consumeOne(); // the wait: the producer can go on only when the consumer released one
                }
            }
            b.set(0, rig.produced, 1, rig.produced).set(7, rig.produced, 2, rig.produced);
            rig.queue[(int) (rig.tail++ & (RING - 1))] = b;
            rig.produced++;
            if (i % PRODUCER_STEPS_PER_CONSUMER_STEP == 0) {
                rig.consumeOne();
            }
        }
        counters.bursts++;
        counters.bytesAfterIdle = rig.bytesAfterIdle;
        return rig.produced + rig.sink;
    }

    @Benchmark
    public long burstWithConsumerThread(TwoThreads rig, Counters counters) {
        BufferPool pool = rig.pool;
        for (int i = 0; i < BURST; i++) {
            SoaBuffer b = pool.tryAcquire(8);
            if (b == null) {
                counters.waits++;
                if (rig.adaptive) {
                    pool.maintain(rig.now());
                }
                while ((b = pool.tryAcquire(8)) == null) {
                    Thread.onSpinWait();
                }
            }
            b.set(0, rig.produced, 1, rig.produced).set(7, rig.produced, 2, rig.produced);
            int cell = (int) (rig.produced & (RING - 1));
            while (!rig.ring.compareAndSet(cell, null, b)) {
                Thread.onSpinWait(); // cannot happen while RING >= the pool's capacity
            }
            rig.produced++;
        }
        counters.bursts++;
        counters.bytesAfterIdle = rig.bytesAfterIdle;
        return rig.produced;
    }
}
