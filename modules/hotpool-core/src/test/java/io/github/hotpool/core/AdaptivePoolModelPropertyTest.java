package io.github.hotpool.core;

import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.PropertyRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model-based test of adaptive capacity: random sequences of acquire, owner and remote release,
 * grow, shrink, policy steps and double or stale releases (handles of retired segments
 * included), checked step by step against a model of plain collections: a LIFO stack of free
 * slots, a FIFO of remote returns not yet drained, the set of grown segments and a generation
 * per slot. After every program everything is released and the whole capacity acquired once
 * more: a lost or duplicated slot shows there. Programs come from {@link PropertyRunner}: a
 * failure names the seed that replays it ({@code -Dhotpool.seed=...}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdaptivePoolModelPropertyTest {

    private static final int BASE = 3;
    private static final int STEP = 2;
    private static final int MAX = BASE + 3 * STEP;
    private static final long IDLE_NANOS = 5_000_000L;
    private static final ExecutorService REMOTE = Executors.newSingleThreadExecutor(r -> new Thread(r, "remote-releaser"));

    enum Op { ACQUIRE, RELEASE, REMOTE_RELEASE, GROW, SHRINK, MAINTAIN, WAIT_IDLE, DOUBLE_RELEASE }

    record Step(Op op, int arg) {
        @Override
        public String toString() {
            return op + " " + arg;
        }
    }

    static List<Step> program(Gen g) {
        return g.listOf(1, 120, s -> new Step(s.oneOf(Op.class), s.intBetween(0, 1000)));
    }

    static List<List<Step>> edgePrograms() {
        List<List<Step>> out = new ArrayList<>();
        for (Op op : Op.values()) {
            out.add(List.of(new Step(op, 0)));
            out.add(Collections.nCopies(40, new Step(op, 7)));
        }
        List<Step> growFillShrink = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            growFillShrink.add(new Step(Op.GROW, 0));
        }
        for (int i = 0; i < MAX + 1; i++) {
            growFillShrink.add(new Step(Op.ACQUIRE, i));
        }
        for (int i = 0; i < MAX; i++) {
            growFillShrink.add(new Step(i % 2 == 0 ? Op.REMOTE_RELEASE : Op.RELEASE, i));
            growFillShrink.add(new Step(Op.SHRINK, i));
        }
        out.add(growFillShrink);
        return out;
    }

    @AfterAll
    static void stopRemote() {
        REMOTE.shutdownNow();
    }

    @Test
    void adaptivePoolBehavesLikeItsModel() {
        PropertyRunner.forAll(AdaptivePoolModelPropertyTest::program).tries(400).edgeCases(edgePrograms())
            .check(AdaptivePoolModelPropertyTest::runAgainstModel);
    }

    private static void runAgainstModel(List<Step> program) {
        Run run = new Run();
        for (int at = 0; at < program.size(); at++) {
            Step step = program.get(at);
            try {
                run.apply(step);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("step " + at + " (" + step + ") broke the model; the program up to it: "
                    + program.subList(0, at + 1), e);
            }
        }
        run.releaseAllAndAcquireEverySlot();
    }

    /** One program's pool, its model, and the handles the program holds. */
    private static final class Run {
        final BufferPool pool = new BufferPool(new PoolOptions().setName("adaptive-model").setSoaBuffers(BASE)
            .setCapacityPolicy(CapacityPolicy.GROW_ON_EXHAUSTION).setMaxSoaBuffers(MAX).setGrowthStep(STEP)
            .setIdleMillis(IDLE_NANOS / 1_000_000L).setReceipts(0).setReceiptsPerBuffer(0));
        // the model
        final Deque<Integer> free = new ArrayDeque<>();
        final Deque<Integer> returning = new ArrayDeque<>();
        final List<Integer> leased = new ArrayList<>();
        final boolean[] grown = new boolean[1 + (MAX - BASE) / STEP];
        final int[] generation = new int[MAX];
        long acquired;
        long released;
        long exhausted;
        long clock;
        // the program's handles
        final List<SoaBuffer> out = new ArrayList<>();
        final List<SoaBuffer> oldHandles = new ArrayList<>();
        final List<Integer> oldGenerations = new ArrayList<>();

        Run() {
            for (int i = BASE - 1; i >= 0; i--) {
                free.push(i);
            }
            grown[0] = true;
        }

        int capacity() {
            int c = 0;
            for (int k = 0; k < grown.length; k++) {
                if (grown[k]) {
                    c += k == 0 ? BASE : STEP;
                }
            }
            return c;
        }

        static int start(int k) {
            return BASE + (k - 1) * STEP;
        }

        void drainModel() {
            while (!returning.isEmpty()) {
                free.push(returning.pollFirst());
            }
        }

        void growModel() {
            for (int k = 1; k < grown.length; k++) {
                if (!grown[k]) {
                    grown[k] = true;
                    for (int i = 0; i < STEP; i++) {
                        free.addLast(start(k) + i); // below every free slot: the hottest stays on top
                    }
                    return;
                }
            }
        }

        boolean shrinkModel() {
            drainModel();
            for (int k = grown.length - 1; k >= 1; k--) {
                if (!grown[k]) {
                    continue;
                }
                int from = start(k);
                Set<Integer> slots = new HashSet<>();
                for (int i = 0; i < STEP; i++) {
                    slots.add(from + i);
                }
                if (free.containsAll(slots)) {
                    free.removeIf(slots::contains);
                    grown[k] = false;
                    return true;
                }
            }
            return false;
        }

        void apply(Step step) {
            int arg = step.arg();
            switch (step.op()) {
                case ACQUIRE -> acquire(arg);
                case RELEASE, REMOTE_RELEASE -> {
                    if (!out.isEmpty()) {
                        int i = arg % out.size();
                        SoaBuffer b = out.remove(i);
                        int slot = leased.remove(i);
                        assertThat(b.slot()).isEqualTo(slot);
                        assertThat(b.subject(0)).as("the lease's own data").isEqualTo(1000L * slot + generation[slot]);
                        oldHandles.add(b);
                        oldGenerations.add(b.generation());
                        if (step.op() == Op.RELEASE) {
                            b.close();
                            free.push(slot);
                        } else {
                            remoteClose(b);
                            returning.addLast(slot);
                        }
                        generation[slot]++;
                        released++;
                    }
                }
                case GROW -> {
                    boolean room = capacity() < MAX;
                    assertThat(pool.grow()).isEqualTo(room);
                    if (room) {
                        growModel();
                    }
                }
                case SHRINK -> assertThat(pool.shrink()).isEqualTo(shrinkModel());
                case MAINTAIN, WAIT_IDLE -> {
                    clock += step.op() == Op.WAIT_IDLE ? IDLE_NANOS : arg * 1_000L;
                    drainModel(); // a policy step starts by draining remote returns
                    int change = pool.maintain(clock);
                    if (change > 0) {
                        growModel();
                    } else if (change < 0) {
                        assertThat(shrinkModel()).as("the pool retired a segment the model finds busy").isTrue();
                    }
                }
                case DOUBLE_RELEASE -> {
                    if (!oldHandles.isEmpty()) {
                        int i = arg % oldHandles.size();
                        SoaBuffer b = oldHandles.get(i);
                        int gen = oldGenerations.get(i);
                        long before = pool.releasedCount();
                        assertThatThrownBy(() -> pool.release(b, gen)).isInstanceOfAny(DoubleReleaseException.class,
                            StaleHandleException.class);
                        assertThat(pool.releasedCount()).isEqualTo(before);
                    }
                }
                default -> throw new AssertionError(step);
            }
            check();
        }

        static void remoteClose(SoaBuffer b) {
            try {
                REMOTE.submit(b::close).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("remote release of " + b + " failed", e);
            }
        }

        void acquire(int arg) {
            if (free.isEmpty()) {
                drainModel();
            }
            SoaBuffer b = pool.tryAcquire(1 + arg % SoaLayout.MAX_RUN_LEN);
            if (free.isEmpty()) {
                exhausted++;
                assertThat(b).isNull();
                return;
            }
            int expected = free.pop();
            assertThat(b).isNotNull();
            assertThat(b.slot()).as("LIFO across segments").isEqualTo(expected);
            assertThat(b.generation()).isEqualTo(generation[expected]);
            assertThat(leased).doesNotContain(expected);
            assertThat(b.subject(0) | b.predicate(0) | b.object(0)).as("zeroed").isZero();
            assertThat(b.base() % SoaLayout.CACHE_LINE_LENGTH).isZero();
            assertThat(b.slab().alignmentOffset(b.base(), SoaLayout.CACHE_LINE_LENGTH)).isZero();
            b.setSubject(0, 1000L * expected + generation[expected]);
            leased.add(expected);
            out.add(b);
            acquired++;
        }

        void check() {
            assertThat(pool.soaCapacity()).isEqualTo(capacity());
            assertThat(pool.soaInUse()).isEqualTo(leased.size());
            assertThat(pool.acquiredCount()).isEqualTo(acquired);
            assertThat(pool.releasedCount()).isEqualTo(released);
            assertThat(pool.exhaustedCount()).isEqualTo(exhausted);
            assertThat(pool.soaBytesReserved()).isEqualTo((long) capacity() * SoaLayout.BUFFER_LENGTH);
            assertThat(new HashSet<>(leased)).hasSameSizeAs(leased);
            PoolStats s = pool.stats();
            assertThat(s.soaCapacity()).isEqualTo(capacity());
            assertThat(s.grows() - s.shrinks()).isEqualTo(pool.segmentCount() - 1L);
        }

        /** No slot lost, none duplicated: after releasing everything, the capacity comes out exactly once. */
        void releaseAllAndAcquireEverySlot() {
            for (SoaBuffer b : out) {
                b.close();
            }
            out.clear();
            int cap = pool.soaCapacity();
            Set<Integer> seen = new HashSet<>();
            List<SoaBuffer> all = new ArrayList<>();
            SoaBuffer b;
            while ((b = pool.tryAcquire(1)) != null) {
                assertThat(seen.add(b.slot())).as("slot " + b.slot() + " handed out twice").isTrue();
                all.add(b);
            }
            assertThat(seen).hasSize(cap);
            for (int k = 0; k < grown.length; k++) {
                int from = k == 0 ? 0 : start(k);
                int n = k == 0 ? BASE : STEP;
                for (int i = 0; i < n; i++) {
                    assertThat(seen.contains(from + i)).as("slot " + (from + i)).isEqualTo(grown[k]);
                }
            }
            all.forEach(SoaBuffer::close);
        }
    }
}
