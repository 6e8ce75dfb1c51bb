package io.github.hotpool.benchmarks.ring;

import io.github.hotpool.core.CapacityPolicy;
import io.github.hotpool.core.DeltaRing;
import io.github.hotpool.core.Ring;
import io.github.hotpool.core.RingOptions;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The ring variant of {@code AdaptiveCapacityBenchmark}: a bursty producer and a slower consumer
 * over one delta ring with one stage. The producer claims, writes and publishes a burst of
 * {@link #BURST} rows one at a time; the consumer (on the owner thread, so the result does not
 * hang on the scheduling of a shared machine) reads a row, works on it ({@link #CONSUMER_TOKENS}
 * of {@code Blackhole.consumeCPU}) and advances, one row per {@link #PRODUCER_STEPS_PER_CONSUMER_STEP}
 * producer steps and as many as a wait needs. One op is one burst as the producer sees it.
 * Between bursts (outside the measured time) the consumer catches up; after every {@code
 * burstsPerIdle} bursts the ring goes idle, its policy clock advanced by the idle period.
 *
 * <p>{@code mode}: {@code fixedSmall} ({@link #SMALL} rows), {@code fixedLarge} ({@link #LARGE}
 * rows: the burst fits), {@code adaptive} ({@link #SMALL} growing to {@link #LARGE}, doubling,
 * under {@link CapacityPolicy#GROW_ON_EXHAUSTION}). A claim answered {@code NO_ROOM} is one
 * <em>wait</em>; in adaptive mode the producer then runs the ring's policy step, as {@code
 * SpanBatcher} does on its "no room" path, and claims again before it waits for the consumer.
 *
 * <p>Auxiliary counters ({@code EVENTS}, summed over the measurement iterations by JMH):
 * {@code waitsPerOp} and {@code bytesAfterIdle} (the ring's bytes reserved after the last idle phase).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AdaptiveRingBenchmark {

    static final int SMALL = 32;
    static final int LARGE = 256;
    static final int BURST = 256;
    static final long IDLE_MILLIS = 100;
    static final long CONSUMER_TOKENS = 40;
    static final int PRODUCER_STEPS_PER_CONSUMER_STEP = 4;

    /** The ring, its two views and the idle bookkeeping. */
    @State(Scope.Thread)
    public static class Rig {
        @Param({"fixedSmall", "fixedLarge", "adaptive"})
        public String mode;

        /** Bursts between two idle phases. */
        @Param({"8", "64"})
        public int burstsPerIdle;

        DeltaRing ring;
        DeltaRing.Row writer;
        DeltaRing.Row reader;
        boolean adaptive;
        long clockOffset;
        int burstsSinceIdle;
        long bytesAfterIdle;
        long sink;

        @Setup(Level.Trial)
        public void setUp() {
            RingOptions o = new RingOptions().setName("bursty").chain("consume");
            switch (mode) {
                case "fixedSmall" -> o.setCapacity(SMALL);
                case "fixedLarge" -> o.setCapacity(LARGE);
                case "adaptive" -> o.setCapacity(SMALL).setCapacityPolicy(CapacityPolicy.GROW_ON_EXHAUSTION)
                    .setMaxCapacity(LARGE).setIdleMillis(IDLE_MILLIS);
                default -> throw new IllegalArgumentException("mode must be fixedSmall, fixedLarge or adaptive: mode=" + mode);
            }
            ring = new DeltaRing(o); // owned by the benchmark thread, which runs the trial setup
            writer = ring.row(Ring.PRODUCER);
            reader = ring.row(0);
            adaptive = ring.isAdaptive();
            bytesAfterIdle = ring.bytesReserved();
        }

        long now() {
            return System.nanoTime() + clockOffset;
        }

        boolean consumeOne() {
            long c = ring.cursor(0);
            if (c == ring.available(0)) {
                return false;
            }
            DeltaRing.Row r = reader.at(c);
            sink += r.subject(0) + r.object(7);
            Blackhole.consumeCPU(CONSUMER_TOKENS);
            ring.advance(0, c + 1);
            return true;
        }

        @Setup(Level.Invocation)
        public void betweenBursts() {
            while (consumeOne()) {
                // drains
            }
            if (++burstsSinceIdle < burstsPerIdle) {
                return;
            }
            burstsSinceIdle = 0;
            if (adaptive) {
                int steps = 0;
                do {
                    clockOffset += TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS);
                } while (ring.maintain(now()) != 0 || steps++ < 1);
            }
            bytesAfterIdle = ring.bytesReserved();
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
    public long burst(Rig rig, Counters counters) {
        DeltaRing ring = rig.ring;
        for (int i = 0; i < BURST; i++) {
            long seq = ring.tryClaim(1);
            if (seq == Ring.NO_ROOM) {
                counters.waits++;
                if (rig.adaptive && ring.maintain(rig.now()) > 0) {
                    seq = ring.tryClaim(1);
                }
                while (seq == Ring.NO_ROOM) {
                    rig.consumeOne(); // the wait: only the consumer can make room
                    seq = ring.tryClaim(1);
                }
            }
            rig.writer.at(seq).set(0, seq, 1, seq).set(7, seq, 2, seq).length(8);
            ring.publish(seq + 1);
            if (i % PRODUCER_STEPS_PER_CONSUMER_STEP == 0) {
                rig.consumeOne();
            }
        }
        counters.bursts++;
        counters.bytesAfterIdle = rig.bytesAfterIdle;
        return ring.claimed() + rig.sink;
    }
}
