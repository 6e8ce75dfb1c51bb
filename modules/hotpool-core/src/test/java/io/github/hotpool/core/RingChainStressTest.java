package io.github.hotpool.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static io.github.hotpool.core.Ring.NO_ROOM;
import static io.github.hotpool.core.Ring.NOT_FAILED;
import static io.github.hotpool.core.Ring.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A producer and a chain of three dependent stages on four real threads move 10 million rows
 * through a default-sized delta ring (1024 rows, ten thousand laps). Every lane of every row
 * carries its sequence, so a row handed out again too early, torn by a stage that read it before
 * its upstream finished, or delivered out of order shows at the next stage. Each stage checks what
 * the stage before it wrote, adds its own mark, and fails some rows; failed rows are skipped by the
 * later stages but still passed, and arrive at the last stage with the first failing stage and its
 * reason. Claims and advances come in random sizes; a full ring parks the producer on the ring's
 * wake-up (onRoom unparks it).
 */
class RingChainStressTest {

    private static final long ROWS = 10_000_000;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(50);

    /** What the producer writes: lane i of row s. */
    static long subject(long s, int lane) {
        return s * 8 + lane + 1;
    }

    static long predicate(long s, int lane) {
        return (s * 8 + lane) ^ 0x5DEECE66DL;
    }

    static long object(long s, int lane) {
        return ~(s * 8 + lane);
    }

    static int length(long s) {
        return 1 + (int) (s % 8);
    }

    static boolean failedByProducer(long s) {
        return s % 1009 == 5;
    }

    static boolean failedByTransform(long s) {
        return s % 997 == 3;
    }

    @Test
    @Timeout(90)
    void tenMillionRows_throughAThreeStageChain_arriveIntactInOrder_withFailedRowsPassedAlong() throws InterruptedException {
        Thread producer = Thread.currentThread();
        DeltaRing ring = new DeltaRing(new RingOptions().setName("chain").chain("transform", "load", "emit"), producer,
            () -> LockSupport.unpark(producer));
        int transform = ring.stage("transform");
        int load = ring.stage("load");
        int emit = ring.stage("emit");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean abort = new AtomicBoolean();
        AtomicLong emitted = new AtomicLong();
        AtomicLong failedSeen = new AtomicLong();

        Thread[] threads = {
            stage(ring, transform, 1, failure, abort, (r, s) -> {
                checkProducerLanes(r, s);
                if (r.isFailed()) {
                    return;
                }
                if (failedByTransform(s)) {
                    r.fail((int) (s & 0xFFFF));
                    return;
                }
                r.addRun(predicate(s, 0), 0, length(s)); // transform's mark: one run over the row
            }),
            stage(ring, load, 2, failure, abort, (r, s) -> {
                checkProducerLanes(r, s);
                if (r.isFailed()) {
                    assertRow(r.runCount() == 0, s, "a failed row got a run");
                    return;
                }
                assertRow(r.runCount() == 1 && r.runPredicate(0) == predicate(s, 0) && r.runLength(0) == length(s), s,
                    "transform's run is missing");
                for (int lane = 0; lane < 8; lane++) {
                    r.setObject(lane, object(s, lane) + 1); // load's mark
                }
            }),
            stage(ring, emit, 3, failure, abort, (r, s) -> {
                long expected = emitted.get();
                assertRow(s == expected, s, "arrived out of order, expected " + expected);
                emitted.set(s + 1);
                for (int lane = 0; lane < 8; lane++) {
                    assertRow(r.subject(lane) == subject(s, lane) && r.predicate(lane) == predicate(s, lane), s,
                        "lane " + lane + " torn");
                }
                assertRow(r.length() == length(s), s, "length");
                int by = r.failedBy();
                int expectBy = failedByProducer(s) ? PRODUCER : failedByTransform(s) ? transform : NOT_FAILED;
                assertRow(by == expectBy, s, "failed by " + by + ", expected " + expectBy);
                if (by != NOT_FAILED) {
                    failedSeen.incrementAndGet();
                    assertRow(r.failReason() == (by == PRODUCER ? 7 : (int) (s & 0xFFFF)), s, "reason " + r.failReason());
                }
                long objectDelta = by == NOT_FAILED ? 1 : 0;
                for (int lane = 0; lane < 8; lane++) {
                    assertRow(r.object(lane) == object(s, lane) + objectDelta, s, "object lane " + lane);
                }
            }),
        };
        for (Thread t : threads) {
            t.start();
        }

        SplittableRandom random = new SplittableRandom(42);
        DeltaRing.Row w = ring.row(PRODUCER);
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        long next = 0;
        long parks = 0;
        try {
            while (next < ROWS && failure.get() == null) {
                int n = (int) Math.min(1 + random.nextInt(64), ROWS - next);
                long first = ring.tryClaimOrArm(n);
                if (first == NO_ROOM) {
                    parks++;
                    LockSupport.parkNanos(1_000_000); // onRoom unparks; a stale permit or timeout just retries
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("no progress by the deadline: " + ring.stats());
                    }
                    continue;
                }
                for (long s = first; s < first + n; s++) {
                    w.at(s).length(length(s));
                    for (int lane = 0; lane < 8; lane++) {
                        w.set(lane, subject(s, lane), predicate(s, lane), object(s, lane));
                    }
                    if (failedByProducer(s)) {
                        w.fail(7);
                    }
                }
                ring.publish(first + n);
                next = first + n;
            }
            // wait for the stages to drain, but not past the first failure: the stages after a failed one wait for ever
            for (Thread t : threads) {
                while (t.isAlive() && failure.get() == null && System.nanoTime() < deadline) {
                    t.join(10);
                }
            }
        } finally {
            abort.set(true);
        }
        assertThat(failure.get()).isNull();
        assertThat(emitted.get()).isEqualTo(ROWS);
        RingStats stats = ring.stats();
        assertThat(stats.gating()).isEqualTo(ROWS);
        assertThat(stats.stageCursors()).containsValues(ROWS, ROWS, ROWS);
        long expectedFailed = 0;
        for (long s = 0; s < ROWS; s++) {
            expectedFailed += failedByProducer(s) || failedByTransform(s) ? 1 : 0;
        }
        assertThat(failedSeen.get()).isEqualTo(expectedFailed).isEqualTo(stats.failedRows());
        System.out.println("RingChainStressTest: " + ROWS + " rows, " + stats.fullAnswers() + " no-room answers, "
            + stats.waits() + " waits, " + parks + " parks, " + stats.wakeUps() + " wake-ups, failed " + failedSeen.get());
    }

    private static void checkProducerLanes(DeltaRing.Row r, long s) {
        assertRow(r.length() == length(s), s, "length " + r.length());
        for (int lane = 0; lane < 8; lane++) {
            assertRow(r.subject(lane) == subject(s, lane) && r.object(lane) == object(s, lane), s, "lane " + lane);
        }
    }

    private static void assertRow(boolean ok, long s, String what) {
        if (!ok) {
            throw new AssertionError("row " + s + ": " + what);
        }
    }

    interface RowWork {
        void accept(DeltaRing.Row row, long seq);
    }

    /** A stage thread: reads what is available, works each row, advances in random steps; yields when idle. */
    private static Thread stage(DeltaRing ring, int stage, long seed, AtomicReference<Throwable> failure,
                                AtomicBoolean abort, RowWork work) {
        Thread t = new Thread(() -> {
            try {
                SplittableRandom random = new SplittableRandom(seed);
                DeltaRing.Row r = ring.row(stage);
                long at = 0;
                int idle = 0;
                while (at < ROWS && !abort.get()) {
                    long available = ring.available(stage);
                    if (available == at) {
                        if (++idle > 50) {
                            Thread.yield();
                        } else {
                            Thread.onSpinWait();
                        }
                        continue;
                    }
                    idle = 0;
                    long upTo = Math.min(available, at + 1 + random.nextInt(128));
                    for (long s = at; s < upTo; s++) {
                        work.accept(r.at(s), s);
                    }
                    ring.advance(stage, upTo);
                    at = upTo;
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "chain-" + ring.stageName(stage));
        t.setDaemon(true);
        return t;
    }
}
