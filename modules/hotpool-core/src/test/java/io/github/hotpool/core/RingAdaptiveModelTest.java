package io.github.hotpool.core;

import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.PropertyRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.hotpool.core.Ring.NO_ROOM;
import static io.github.hotpool.core.Ring.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adaptive rings against a model of plain numbers, and on real threads: random programs of claim,
 * write, publish, advance, fail, grow, shrink and policy steps never lose, duplicate or overwrite
 * a row a stage has not passed, and the capacity, boundary, bytes reserved and counters follow
 * the rules of {@link Ring}. Every row carries its sequence in its lanes; every stage checks the
 * producer's lanes and the marks of the stages it runs after, and re-reads them before it passes
 * the row on.
 */
class RingAdaptiveModelTest {

    /** What the producer writes into lane 0 and lane 7 of row s. */
    static long subject(long s) {
        return s * 2 + 1;
    }

    static long object(long s) {
        return ~s;
    }

    /** What stage k writes into lane k + 1's object of row s. */
    static long mark(long s, int k) {
        return s * 31 + k + 7;
    }

    // ---------------------------------------------------------------- one thread, against a model

    record Program(int min, int factor, int steps, boolean fanOut, long seed) {
        int max() {
            int m = min;
            for (int i = 0; i < steps; i++) {
                m *= factor;
            }
            return m;
        }
    }

    @Test
    @Timeout(120)
    void randomPrograms_onOneThread_matchTheModel_andNeverLoseOrOverwriteARow() {
        PropertyRunner.forAll(g -> new Program(g.oneOf(1, 2, 4), g.oneOf(2, 4), g.intBetween(1, 3), g.bool(), g.anyLong()))
            .tries(300)
            .edgeCases(List.of(new Program(1, 2, 3, false, 1), new Program(1, 2, 1, true, 2), new Program(4, 4, 2, false, 3)))
            .check(RingAdaptiveModelTest::runModel);
    }

    private static RingOptions options(int min, int factor, int max, boolean fanOut) {
        RingOptions o = new RingOptions().setName("model").setCapacity(min).setCapacityPolicy(CapacityPolicy.GROW_ON_EXHAUSTION)
            .setMaxCapacity(max).setGrowthFactor(factor).setIdleMillis(5);
        return fanOut ? o.addStage("a").addStage("b").addStage("c", "a", "b") : o.chain("a", "b");
    }

    private static void runModel(Program pr) {
        int max = pr.max();
        DeltaRing ring = new DeltaRing(options(pr.min, pr.factor, max, pr.fanOut));
        int stages = ring.stageCount();
        int[][] after = new int[stages][];
        boolean[] terminal = new boolean[stages];
        for (int k = 0; k < stages; k++) {
            after[k] = ring.runsAfter(k);
            terminal[k] = ring.isTerminal(k);
        }
        DeltaRing.Row w = ring.row(PRODUCER);
        SplittableRandom rnd = new SplittableRandom(pr.seed);
        // the model
        long claimed = 0;
        long published = 0;
        long[] cursor = new long[stages];
        int capacity = pr.min;
        long boundary = 0;
        boolean previousHeld = false;
        long prevBytes = 0;
        long grows = 0;
        long shrinks = 0;
        long rowBytes = DeltaRing.ROW_LENGTH + DeltaRing.META_LENGTH;
        long now = 0;
        for (int step = 0; step < 400; step++) {
            String at0 = "step " + step + " of " + pr;
            long gating = Long.MAX_VALUE;
            for (int k = 0; k < stages; k++) {
                if (terminal[k]) {
                    gating = Math.min(gating, cursor[k]);
                }
            }
            int op = rnd.nextInt(10);
            String at = at0 + " (op " + op + ", claimed " + claimed + ", published " + published + ", cursors "
                + java.util.Arrays.toString(cursor) + ", capacity " + capacity + ", boundary " + boundary + ")";
            if (op <= 3) { // claim, write, maybe publish
                int n = 1 + rnd.nextInt(capacity);
                boolean room = claimed + n - capacity <= Math.max(gating, boundary);
                long first = ring.tryClaim(n);
                assertThat(first).as(at + ": claim %d at claimed %d, capacity %d, boundary %d, gating %d", n, claimed,
                    capacity, boundary, gating).isEqualTo(room ? claimed : NO_ROOM);
                if (room) {
                    for (long s = first; s < first + n; s++) {
                        assertThat(w.at(s).length()).as(at + ": a claimed row is zeroed").isZero();
                        w.setSubject(0, subject(s)).setObject(0, object(s)).setSubject(7, subject(s)).length(1);
                    }
                    claimed += n;
                }
                if (rnd.nextBoolean()) {
                    published = claimed;
                    ring.publish(published);
                }
            } else if (op <= 6) { // a stage reads, marks and passes some rows
                int k = rnd.nextInt(stages);
                long avail = published;
                if (after[k].length > 0) {
                    avail = Long.MAX_VALUE;
                    for (int d : after[k]) {
                        avail = Math.min(avail, cursor[d]);
                    }
                }
                assertThat(ring.available(k)).as(at).isEqualTo(avail);
                if (avail > cursor[k]) {
                    long upTo = cursor[k] + 1 + rnd.nextLong(avail - cursor[k]);
                    DeltaRing.Row r = ring.row(k);
                    for (long s = cursor[k]; s < upTo; s++) {
                        checkRow(r.at(s), s, after[k], at + ", stage " + k);
                        r.setObject(k + 1, mark(s, k));
                    }
                    ring.advance(k, upTo);
                    cursor[k] = upTo;
                }
            } else if (op == 7) { // grow
                boolean gone = !previousHeld || gating >= boundary;
                boolean can = capacity < max && gone;
                assertThat(ring.grow()).as(at + ": grow at capacity %d of %d, previous held %s", capacity, max,
                    previousHeld && !gone).isEqualTo(can);
                if (can) {
                    prevBytes = capacity * rowBytes;
                    capacity *= pr.factor;
                    boundary = claimed;
                    previousHeld = gating < boundary;
                    grows++;
                }
            } else if (op == 8) { // shrink
                boolean gone = !previousHeld || gating >= boundary;
                boolean empty = gating == claimed && published == claimed;
                boolean can = capacity > pr.min && gone && empty;
                assertThat(ring.shrink()).as(at + ": shrink at capacity %d, empty %s", capacity, empty).isEqualTo(can);
                if (can) {
                    capacity /= pr.factor;
                    boundary = claimed;
                    shrinks++;
                }
            } else { // a policy step: it may grow or shrink; the model follows what it reports
                now += TimeUnit.MILLISECONDS.toNanos(rnd.nextInt(8));
                int before = ring.capacity();
                int change = ring.maintain(now);
                if (!previousHeld || gating >= boundary) {
                    previousHeld = false;
                }
                if (change > 0) {
                    assertThat(before).as(at).isLessThan(max);
                    prevBytes = capacity * rowBytes;
                    capacity *= pr.factor;
                    boundary = claimed;
                    previousHeld = gating < boundary;
                    grows++;
                } else if (change < 0) {
                    assertThat(gating == claimed && published == claimed).as(at + ": a policy shrink of a ring holding rows")
                        .isTrue();
                    capacity /= pr.factor;
                    boundary = claimed;
                    shrinks++;
                }
            }
            assertThat(ring.capacity()).as(at).isEqualTo(capacity);
            assertThat(ring.capacityBoundary()).as(at).isEqualTo(boundary);
            // the old slab must stay while a terminal stage is below the boundary; after that the
            // ring drops it at its next look at the gate (a claim past the cached gate, a resize, a step)
            long gate = Long.MAX_VALUE;
            for (int k = 0; k < stages; k++) {
                if (terminal[k]) {
                    gate = Math.min(gate, cursor[k]);
                }
            }
            if (previousHeld && gate < boundary) {
                assertThat(ring.hasPreviousLayout()).as(at + ": the old slab went while stages hold its rows").isTrue();
            } else if (!previousHeld) {
                assertThat(ring.hasPreviousLayout()).as(at).isFalse();
            }
            previousHeld = ring.hasPreviousLayout();
            assertThat(ring.bytesReserved()).as(at).isEqualTo(capacity * rowBytes + (previousHeld ? prevBytes : 0));
            assertThat(ring.growCount()).as(at).isEqualTo(grows);
            assertThat(ring.shrinkCount()).as(at).isEqualTo(shrinks);
            RingStats st = ring.stats();
            assertThat(st.capacity()).isEqualTo(capacity);
            assertThat(st.maxCapacity()).isEqualTo(max);
            assertThat(st.bytesReserved()).isEqualTo(ring.bytesReserved());
            assertThat(st.grows()).isEqualTo(grows);
            assertThat(st.shrinks()).isEqualTo(shrinks);
        }
    }

    /** A stage's check of row s: the producer's lanes, and the mark of every stage it runs after. */
    static void checkRow(DeltaRing.Row r, long s, int[] after, String at) {
        if (r.subject(0) != subject(s) || r.object(0) != object(s) || r.subject(7) != subject(s) || r.length() != 1) {
            throw new AssertionError(at + ": row " + s + " holds subject " + r.subject(0) + " (want " + subject(s)
                + "), object " + r.object(0) + ", length " + r.length() + ": lost or overwritten (capacity "
                + r.ring.capacity() + ", boundary " + r.ring.capacityBoundary() + ")");
        }
        for (int d : after) {
            if (r.object(d + 1) != mark(s, d)) {
                throw new AssertionError(at + ": row " + s + " lacks the mark of stage " + d + ": " + r.object(d + 1));
            }
        }
    }

    // ---------------------------------------------------------------- real threads

    @Test
    @Timeout(120)
    void randomResizes_acrossThreads_neverLoseDuplicateOrOverwriteAnUnreadRow() throws InterruptedException {
        String fixed = System.getProperty(PropertyRunner.SEED_PROPERTY);
        long seed = fixed == null || fixed.isBlank() ? new SplittableRandom().nextLong() : Long.parseLong(fixed.trim());
        System.out.println("RingAdaptiveModelTest threads: seed " + seed + " (replay with -D" + PropertyRunner.SEED_PROPERTY
            + "=" + seed + ")");
        SplittableRandom base = new SplittableRandom(seed);
        long totalGrows = 0;
        long totalShrinks = 0;
        for (int trial = 0; trial < 6; trial++) {
            Gen g = new Gen(base.split());
            int min = g.oneOf(1, 2, 8);
            int factor = g.oneOf(2, 4);
            int max = min * factor * factor;
            boolean fanOut = trial % 2 == 1;
            long[] counts = runThreads(min, factor, max, fanOut, 60_000, g.anyLong(), "seed " + seed + ", trial " + trial);
            totalGrows += counts[0];
            totalShrinks += counts[1];
        }
        // the run must have exercised both directions, or it proved nothing about resizes
        assertThat(totalGrows).as("grows over all trials").isPositive();
        assertThat(totalShrinks).as("shrinks over all trials").isPositive();
    }

    private static long[] runThreads(int min, int factor, int max, boolean fanOut, long rows, long seed, String what)
        throws InterruptedException {
        DeltaRing ring = new DeltaRing(options(min, factor, max, fanOut));
        int stages = ring.stageCount();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // bounded by rows and by a time budget: on a loaded 2-core machine the producer stops
        // early and the stages drain what it made; only a stall (no progress for 10 s) fails
        long budgetEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        long stallNanos = TimeUnit.SECONDS.toNanos(10);
        java.util.concurrent.atomic.AtomicLong limit = new java.util.concurrent.atomic.AtomicLong(rows);
        List<Thread> threads = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = 0; k < stages; k++) {
            int stage = k;
            int[] after = ring.runsAfter(k);
            DeltaRing.Row r = ring.newRow(k);
            SplittableRandom sr = rnd.split();
            Thread t = new Thread(() -> {
                try {
                    long cur = 0;
                    long lastProgress = System.nanoTime();
                    while (cur < limit.get() && failure.get() == null) {
                        long avail = ring.available(stage);
                        if (avail == cur) {
                            if (System.nanoTime() - lastProgress > stallNanos) {
                                throw new AssertionError(what + ": stage " + stage + " stalled at " + cur + " for 10 s, " + ring);
                            }
                            Thread.yield();
                            continue;
                        }
                        lastProgress = System.nanoTime();
                        long upTo = cur + 1 + sr.nextLong(avail - cur);
                        for (long s = cur; s < upTo; s++) {
                            checkRow(r.at(s), s, after, what + ", stage " + stage);
                            if (!ring.isCurrent(stage, s, 1, ring.epoch())) {
                                throw new AssertionError(what + ": row " + s + " not current for stage " + stage);
                            }
                            r.setObject(stage + 1, mark(s, stage));
                        }
                        // read again just before passing them on: a row reused or re-mapped while
                        // held shows here
                        for (long s = cur; s < upTo; s++) {
                            checkRow(r.at(s), s, after, what + ", stage " + stage + " (re-read)");
                            if (r.object(stage + 1) != mark(s, stage)) {
                                throw new AssertionError(what + ": stage " + stage + "'s own mark on row " + s + " is gone");
                            }
                        }
                        ring.advance(stage, upTo);
                        cur = upTo;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "adaptive-stage-" + k);
            t.setDaemon(true);
            threads.add(t);
        }
        // this thread built the ring: it is the producer
        SplittableRandom pr = rnd.split();
        long[] counts = new long[2];
        for (Thread t : threads) {
            t.start();
        }
        DeltaRing.Row w = ring.row(PRODUCER);
        long now = 0;
        long claimed = 0;
        long lastClaim = System.nanoTime();
        while (claimed < rows && failure.get() == null && System.nanoTime() < budgetEnd) {
            int op = pr.nextInt(100);
            if (op < 3) {
                int before = ring.capacity();
                if (ring.grow()) {
                    assertThat(ring.capacity()).isEqualTo(before * factor).isLessThanOrEqualTo(max);
                    assertThat(ring.capacityBoundary()).isEqualTo(claimed);
                }
            } else if (op < 6) {
                if (ring.shrink()) {
                    assertThat(ring.gating()).as(what + ": shrank a ring holding rows").isEqualTo(claimed);
                    assertThat(ring.hasPreviousLayout()).isFalse();
                }
            } else if (op < 10) {
                now += TimeUnit.MILLISECONDS.toNanos(pr.nextInt(4));
                ring.maintain(now);
            } else {
                int n = 1 + pr.nextInt(Math.min(ring.capacity(), (int) Math.min(8, rows - claimed)));
                long first = ring.tryClaim(n);
                if (first == NO_ROOM) {
                    if (System.nanoTime() - lastClaim > stallNanos) {
                        throw new AssertionError(what + ": producer found no room for 10 s at " + claimed + ", " + ring);
                    }
                    Thread.yield();
                    continue;
                }
                assertThat(first).isEqualTo(claimed);
                for (long s = first; s < first + n; s++) {
                    w.at(s).setSubject(0, subject(s)).setObject(0, object(s)).setSubject(7, subject(s)).length(1);
                }
                claimed += n;
                ring.publish(claimed);
                lastClaim = System.nanoTime();
            }
        }
        limit.set(claimed);
        System.out.println("RingAdaptiveModelTest threads: " + what + ": " + claimed + " rows, capacity " + min + ".." + max
            + " by " + factor + (fanOut ? ", fan-out" : ", chain") + ", " + ring.growCount() + " grows, " + ring.shrinkCount()
            + " shrinks");
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(20));
        }
        if (failure.get() != null) {
            throw new AssertionError(what + " failed", failure.get());
        }
        for (int k = 0; k < stages; k++) {
            assertThat(ring.cursor(k)).as(what + ": stage " + k + " saw every row once").isEqualTo(claimed);
        }
        // every cursor caught up: the next policy step drops the old slab, and the bytes are one slab's
        ring.maintain(now);
        assertThat(ring.hasPreviousLayout()).isFalse();
        assertThat(ring.bytesReserved()).isEqualTo((long) ring.capacity() * (DeltaRing.ROW_LENGTH + DeltaRing.META_LENGTH));
        counts[0] = ring.growCount();
        counts[1] = ring.shrinkCount();
        return counts;
    }
}
