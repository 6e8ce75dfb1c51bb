package io.github.hotpool.core;

import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.hotpool.core.Ring.NO_ROOM;
import static io.github.hotpool.core.Ring.NOT_FAILED;
import static io.github.hotpool.core.Ring.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model-based test: random ring shapes (capacity 1 to 8, one to four stages in a random
 * dependency graph) run random programs of claims, publishes, advances, row writes and reads,
 * failures, span checks, waits and disarms, checked step by step against a reference model of
 * plain longs and maps. Programs come from {@link PropertyRunner}: a failure names the seed that
 * replays it ({@code -Dhotpool.seed=...}) and the program up to the step that broke.
 */
class RingModelPropertyTest {

    enum Op { CLAIM, CLAIM_OR_ARM, PUBLISH, BAD_PUBLISH, ADVANCE, BAD_ADVANCE, WRITE, STAGE_WRITE, READ, FAIL, BAD_FAIL,
        SPAN, DISARM, STATS }

    /** One step: an operation, the holder or stage it picks ({@code who}), and a number for sizes, rows and values. */
    record Step(Op op, int who, int arg) {
        @Override
        public String toString() {
            return op + " " + who + " " + arg;
        }
    }

    /** A ring shape and a program. {@code after.get(k)} lists the earlier stages stage k runs after. */
    record Program(int capacity, List<List<Integer>> after, List<Step> steps) {
        @Override
        public String toString() {
            return "capacity " + capacity + ", stages after " + after + ", steps " + steps;
        }

        Program upTo(int at) {
            return new Program(capacity, after, steps.subList(0, at + 1));
        }
    }

    static Program program(Gen g) {
        int capacity = 1 << g.intBetween(0, 3);
        int stages = g.intBetween(1, 4);
        List<List<Integer>> after = new ArrayList<>();
        for (int k = 0; k < stages; k++) {
            List<Integer> deps = new ArrayList<>();
            for (int d = 0; d < k; d++) {
                if (g.oneIn(2)) {
                    deps.add(d);
                }
            }
            after.add(deps);
        }
        List<Step> steps = g.listOf(1, 120, s -> new Step(s.oneOf(Op.class), s.intBetween(-1, 3), s.intBetween(0, 1000)));
        return new Program(capacity, after, steps);
    }

    /** Fixed programs on every run: a one-row ring, a chain, a fan-out; each operation over and over, then a mix. */
    static List<Program> edgePrograms() {
        List<Program> out = new ArrayList<>();
        List<List<List<Integer>>> shapes = List.of(List.of(List.of()), List.of(List.of(), List.of(0), List.of(1)),
            List.of(List.of(), List.of(), List.of(0, 1)));
        for (int capacity : new int[] {1, 8}) {
            for (List<List<Integer>> shape : shapes) {
                for (Op op : Op.values()) {
                    out.add(new Program(capacity, shape, Collections.nCopies(40, new Step(op, 1, 7))));
                }
                List<Step> cycle = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    for (Op op : new Op[] {Op.CLAIM_OR_ARM, Op.WRITE, Op.PUBLISH, Op.ADVANCE, Op.FAIL, Op.ADVANCE, Op.READ,
                        Op.ADVANCE, Op.SPAN}) {
                        cycle.add(new Step(op, i % 4 - 1, 1000 - i));
                    }
                }
                out.add(new Program(capacity, shape, cycle));
            }
        }
        return out;
    }

    @Test
    void ringBehavesLikeItsModel() {
        PropertyRunner.forAll(RingModelPropertyTest::program).tries(400).edgeCases(edgePrograms())
            .check(RingModelPropertyTest::runAgainstModel);
    }

    private static void runAgainstModel(Program program) {
        Run run = new Run(program);
        for (int at = 0; at < program.steps().size(); at++) {
            Step step = program.steps().get(at);
            try {
                run.apply(step);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("step " + at + " (" + step + ") broke the model; the program up to it: "
                    + program.upTo(at), e);
            }
        }
    }

    /** The reference model: nothing but numbers and maps. */
    static final class Model {
        final int capacity;
        final List<List<Integer>> after;
        final boolean[] terminal;
        long claimed;
        long published;
        final long[] cursor;
        boolean armed;
        boolean armedLocal;
        long wakeAt;
        long fullAnswers;
        long waits;
        long wakeUps;
        long failedRows;
        /** Row contents by sequence: 24 lanes (s, p, o), then the length; absent = zeroed. */
        final Map<Long, long[]> rows = new HashMap<>();
        /** Failure by sequence: {holder, reason}; absent = not failed. */
        final Map<Long, int[]> failed = new HashMap<>();

        Model(int capacity, List<List<Integer>> after) {
            this.capacity = capacity;
            this.after = after;
            this.cursor = new long[after.size()];
            this.terminal = new boolean[after.size()];
            java.util.Arrays.fill(terminal, true);
            for (List<Integer> deps : after) {
                for (int d : deps) {
                    terminal[d] = false;
                }
            }
        }

        long available(int k) {
            long min = Long.MAX_VALUE;
            for (int d : after.get(k)) {
                min = Math.min(min, cursor[d]);
            }
            return after.get(k).isEmpty() ? published : min;
        }

        long gating() {
            long min = Long.MAX_VALUE;
            for (int k = 0; k < cursor.length; k++) {
                if (terminal[k]) {
                    min = Math.min(min, cursor[k]);
                }
            }
            return min;
        }

        long holdStart(int holder) {
            return holder == PRODUCER ? published : cursor[holder];
        }

        long holdEnd(int holder) {
            return holder == PRODUCER ? claimed : available(holder);
        }

        /** @return the first claimed sequence, or NO_ROOM */
        long claim(int n) {
            if (claimed + n - capacity > gating()) {
                return NO_ROOM;
            }
            long first = claimed;
            for (long s = first; s < first + n; s++) {
                rows.remove(s - capacity); // the row's previous lap is gone
                failed.remove(s - capacity);
            }
            claimed += n;
            if (armedLocal) {
                armedLocal = false;
                armed = false;
            }
            return first;
        }

        long[] row(long seq) {
            return rows.computeIfAbsent(seq, s -> new long[25]);
        }
    }

    /** One program's ring, its model, and the wake-ups counted by the ring's onRoom. */
    private static final class Run {
        final Model m;
        final AtomicLong woken = new AtomicLong();
        final DeltaRing ring;
        final int stages;

        Run(Program p) {
            RingOptions o = new RingOptions().setName("model").setCapacity(p.capacity());
            for (int k = 0; k < p.after().size(); k++) {
                String[] deps = p.after().get(k).stream().map(d -> "s" + d).toArray(String[]::new);
                o.addStage("s" + k, deps);
            }
            ring = new DeltaRing(o, Thread.currentThread(), woken::incrementAndGet);
            m = new Model(p.capacity(), p.after());
            stages = p.after().size();
        }

        /** A holder from {@code who}: -1 the producer, else a stage. */
        int holder(int who) {
            return who < 0 ? PRODUCER : who % stages;
        }

        int stage(int who) {
            return Math.floorMod(who, stages);
        }

        void apply(Step step) {
            int arg = step.arg();
            switch (step.op()) {
                case CLAIM -> {
                    int n = 1 + arg % m.capacity;
                    long expected = m.claim(n);
                    if (expected == NO_ROOM) {
                        m.fullAnswers++;
                    }
                    assertThat(ring.tryClaim(n)).isEqualTo(expected);
                }
                case CLAIM_OR_ARM -> {
                    int n = 1 + arg % m.capacity;
                    long expected = m.claim(n);
                    if (expected == NO_ROOM) {
                        m.fullAnswers++;
                        m.waits++;
                        m.armed = true;
                        m.armedLocal = true;
                        m.wakeAt = m.claimed + n - m.capacity;
                    }
                    assertThat(ring.tryClaimOrArm(n)).isEqualTo(expected);
                }
                case PUBLISH -> {
                    long upTo = m.published + arg % (m.claimed - m.published + 1);
                    ring.publish(upTo);
                    m.published = upTo;
                }
                case BAD_PUBLISH -> {
                    long upTo = arg % 2 == 0 || m.published == 0 ? m.claimed + 1 + arg % 3 : m.published - 1;
                    assertThatThrownBy(() -> ring.publish(upTo)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("cannot publish up to " + upTo);
                }
                case ADVANCE -> {
                    int k = stage(step.who());
                    long upTo = m.cursor[k] + arg % (m.available(k) - m.cursor[k] + 1);
                    ring.advance(k, upTo);
                    if (m.terminal[k] && upTo > m.cursor[k] && m.armed && upTo >= m.wakeAt) {
                        m.armed = false;
                        m.wakeUps++;
                    }
                    m.cursor[k] = upTo;
                }
                case BAD_ADVANCE -> {
                    int k = stage(step.who());
                    boolean back = arg % 2 == 1 && m.cursor[k] > 0;
                    long upTo = back ? m.cursor[k] - 1 : m.available(k) + 1 + arg % 3;
                    assertThatThrownBy(() -> ring.advance(k, upTo)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(back ? "cannot move back" : "cannot pass " + upTo);
                }
                case WRITE -> {
                    if (m.claimed > m.published) {
                        long seq = m.published + arg % (m.claimed - m.published);
                        int lane = arg % 8;
                        long v = arg * 31L + seq;
                        ring.row(PRODUCER).at(seq).set(lane, v, v + 1, v + 2).length(1 + lane);
                        long[] r = m.row(seq);
                        r[lane] = v;
                        r[8 + lane] = v + 1;
                        r[16 + lane] = v + 2;
                        r[24] = 1 + lane;
                    }
                }
                case STAGE_WRITE -> {
                    int k = stage(step.who());
                    if (m.available(k) > m.cursor[k]) {
                        long seq = m.cursor[k] + arg % (m.available(k) - m.cursor[k]);
                        ring.row(k).at(seq).setObject(arg % 8, -arg);
                        m.row(seq)[16 + arg % 8] = -arg;
                    }
                }
                case READ -> {
                    int k = stage(step.who());
                    if (m.available(k) > m.cursor[k]) {
                        long seq = m.cursor[k] + arg % (m.available(k) - m.cursor[k]);
                        DeltaRing.Row r = ring.row(k).at(seq);
                        long[] expected = m.rows.getOrDefault(seq, new long[25]);
                        for (int lane = 0; lane < 8; lane++) {
                            assertThat(new long[] {r.subject(lane), r.predicate(lane), r.object(lane)}).as("row %d lane %d", seq, lane)
                                .containsExactly(expected[lane], expected[8 + lane], expected[16 + lane]);
                        }
                        assertThat(r.length()).isEqualTo(expected[24]);
                        int[] f = m.failed.get(seq);
                        assertThat(r.failedBy()).isEqualTo(f == null ? NOT_FAILED : f[0]);
                        assertThat(r.failReason()).isEqualTo(f == null ? 0 : f[1]);
                    }
                }
                case FAIL -> {
                    int h = holder(step.who());
                    if (m.holdEnd(h) > m.holdStart(h)) {
                        long seq = m.holdStart(h) + arg % (m.holdEnd(h) - m.holdStart(h));
                        ring.fail(h, seq, arg);
                        if (m.failed.putIfAbsent(seq, new int[] {h, arg}) == null) {
                            m.failedRows++;
                        }
                    }
                }
                case BAD_FAIL -> {
                    int h = holder(step.who());
                    long seq = arg % 2 == 0 ? m.holdEnd(h) + arg % 3 : m.holdStart(h) - 1 - arg % 3;
                    if (seq >= 0) {
                        assertThatThrownBy(() -> ring.fail(h, seq, 1)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("row " + seq + " is not held by");
                    }
                }
                case SPAN -> {
                    int h = holder(step.who());
                    long first = Math.max(0, m.holdStart(h) - m.capacity) + arg % (2 * m.capacity + 2);
                    int count = arg % 5;
                    boolean expected = count >= 1 && first >= m.holdStart(h) && first + count <= m.holdEnd(h);
                    assertThat(ring.isCurrent(h, first, count, ring.epoch())).isEqualTo(expected);
                    assertThat(ring.isCurrent(h, first, count, ring.epoch() + 1)).isFalse();
                }
                case DISARM -> {
                    boolean expected = m.armedLocal && m.armed;
                    m.armedLocal = false;
                    m.armed = false;
                    assertThat(ring.disarm()).isEqualTo(expected);
                }
                case STATS -> {
                    RingStats s = ring.stats();
                    assertThat(s.fullAnswers()).isEqualTo(m.fullAnswers);
                    assertThat(s.waits()).isEqualTo(m.waits);
                    assertThat(s.wakeUps()).isEqualTo(m.wakeUps);
                    assertThat(s.failedRows()).isEqualTo(m.failedRows);
                    assertThat(s.occupancy()).isEqualTo(m.claimed - m.gating()).isBetween(0L, (long) m.capacity);
                    assertThat(s.highestOccupancy()).isBetween(0, m.capacity);
                    for (int k = 0; k < stages; k++) {
                        assertThat(s.stageCursors()).containsEntry("s" + k, m.cursor[k]);
                    }
                }
                default -> throw new AssertionError(step);
            }
            assertThat(ring.claimed()).isEqualTo(m.claimed);
            assertThat(ring.published()).isEqualTo(m.published);
            assertThat(ring.gating()).isEqualTo(m.gating());
            for (int k = 0; k < stages; k++) {
                assertThat(ring.cursor(k)).as("cursor of s%d", k).isEqualTo(m.cursor[k]);
                assertThat(ring.available(k)).as("available to s%d", k).isEqualTo(m.available(k));
            }
            assertThat(woken.get()).as("wake-ups").isEqualTo(m.wakeUps);
        }
    }
}
