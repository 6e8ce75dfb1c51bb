package io.github.hotpool.core;

import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.PropertyRunner;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model-based test: random sequences of pool operations, checked step by step against a
 * reference model made of plain collections (a LIFO stack of free slots, a set of run-scoped
 * receipts, a set of held ones). Programs come from {@link PropertyRunner}: a failure names the
 * seed that replays it ({@code -Dhotpool.seed=...}) and the program up to the step that broke.
 */
class PoolModelPropertyTest {

    private static final int BUFFERS = 5;
    private static final int RECEIPTS = 6;

    enum Op { ACQUIRE, TRY_ACQUIRE, BAD_SIZE, RELEASE, DOUBLE_RELEASE, STALE_RELEASE, RECEIPT, HELD_RECEIPT,
        CLOSE_HELD, ATTACH, RESET, CLEAR }

    /** The reference model: nothing but collections. */
    static final class Model {
        final Deque<Integer> free = new ArrayDeque<>();
        final List<Integer> leased = new ArrayList<>();
        final Set<Integer> runReceipts = new HashSet<>();
        final List<Integer> heldReceipts = new ArrayList<>();
        long acquired;
        long released;
        long exhausted;

        Model() {
            for (int i = BUFFERS - 1; i >= 0; i--) {
                free.push(i);
            }
        }

        int receiptsInUse() {
            return runReceipts.size() + heldReceipts.size();
        }
    }

    /** One step of a program: an operation and the number it uses to pick a size, a handle or a value. */
    record Step(Op op, int arg) {
        @Override
        public String toString() {
            return op + " " + arg;
        }
    }

    /** 1 to 80 steps, any operation, arg in [0, 1000]. */
    static List<Step> program(Gen g) {
        return g.listOf(1, 80, s -> new Step(s.oneOf(Op.class), s.intBetween(0, 1000)));
    }

    /**
     * Fixed programs checked on every run: each operation alone with the smallest and the largest
     * arg (what the random programs reach only by luck), and each operation 80 times over, which
     * drives the pool into exhaustion of buffers or receipts.
     */
    static List<List<Step>> edgePrograms() {
        List<List<Step>> out = new ArrayList<>();
        for (Op op : Op.values()) {
            out.add(List.of(new Step(op, 0)));
            out.add(List.of(new Step(op, 1000)));
            out.add(Collections.nCopies(80, new Step(op, 7)));
        }
        return out;
    }

    @Test
    void poolBehavesLikeItsModel() {
        PropertyRunner.forAll(PoolModelPropertyTest::program).tries(400).edgeCases(edgePrograms())
            .check(PoolModelPropertyTest::runAgainstModel);
    }

    private static void runAgainstModel(List<Step> program) {
        Run run = new Run();
        for (int at = 0; at < program.size(); at++) {
            Step step = program.get(at);
            try {
                run.apply(step);
            } catch (AssertionError | RuntimeException e) {
                // no shrinking, but the steps after the failing one never ran: leave them out
                throw new AssertionError("step " + at + " (" + step + ") broke the model; the program up to it: "
                    + program.subList(0, at + 1), e);
            }
        }
    }

    /** One program's pool, its model, and the handles the program holds. */
    private static final class Run {
        final BufferPool pool = new BufferPool(new PoolOptions().setName("model").setSoaBuffers(BUFFERS)
            .setReceipts(RECEIPTS).setReceiptsPerBuffer(2));
        final Model m = new Model();
        final List<SoaBuffer> out = new ArrayList<>();
        final List<Receipt> held = new ArrayList<>();
        final List<SoaBuffer> releasedHandles = new ArrayList<>();
        final List<Integer> releasedGenerations = new ArrayList<>();

        void apply(Step step) {
            int arg = step.arg();
            switch (step.op()) {
                case ACQUIRE, TRY_ACQUIRE -> {
                    int size = 1 + arg % SoaLayout.MAX_RUN_LEN;
                    if (m.free.isEmpty()) {
                        m.exhausted++;
                        if (step.op() == Op.ACQUIRE) {
                            assertThatThrownBy(() -> pool.acquire(size)).isInstanceOf(PoolExhaustedException.class);
                        } else {
                            assertThat(pool.tryAcquire(size)).isNull();
                        }
                    } else {
                        SoaBuffer b = step.op() == Op.ACQUIRE ? pool.acquire(size) : pool.tryAcquire(size);
                        int expected = m.free.pop();
                        assertThat(b.slot()).as("LIFO reuse").isEqualTo(expected);
                        assertThat(b.capacity()).isEqualTo(size);
                        for (int lane = 0; lane < size; lane++) {
                            assertThat(b.subject(lane) | b.predicate(lane) | b.object(lane)).isZero();
                        }
                        b.set(size - 1, arg, arg, arg);
                        m.leased.add(expected);
                        m.acquired++;
                        out.add(b);
                    }
                }
                case BAD_SIZE -> assertThatThrownBy(() -> pool.acquire(9 + arg)).isInstanceOf(InvalidSizeException.class);
                case RELEASE -> {
                    if (!out.isEmpty()) {
                        int i = arg % out.size();
                        SoaBuffer b = out.remove(i);
                        int slot = m.leased.remove(i);
                        releasedHandles.add(b);
                        releasedGenerations.add(b.generation());
                        int attachedHeld = b.receiptCount();
                        for (int k = 0; k < attachedHeld; k++) {
                            m.heldReceipts.remove(Integer.valueOf(b.receipt(k).index()));
                        }
                        b.close();
                        m.free.push(slot);
                        m.released++;
                    }
                }
                case DOUBLE_RELEASE, STALE_RELEASE -> {
                    if (!releasedHandles.isEmpty()) {
                        int i = arg % releasedHandles.size();
                        SoaBuffer b = releasedHandles.get(i);
                        int gen = releasedGenerations.get(i);
                        boolean leasedAgain = out.contains(b);
                        boolean sameLeaseReleased = !b.isReleased() && b.generation() != gen || b.isReleased();
                        assertThat(sameLeaseReleased).isTrue();
                        assertThatThrownBy(() -> pool.release(b, gen))
                            .isInstanceOf(leasedAgain || b.generation() != gen ? StaleHandleException.class : DoubleReleaseException.class);
                    }
                }
                case RECEIPT -> {
                    if (m.receiptsInUse() == RECEIPTS) {
                        assertThatThrownBy(pool::receipt).isInstanceOf(PoolExhaustedException.class);
                    } else {
                        Receipt r = pool.receipt();
                        assertThat(r.aHash()).isZero();
                        r.aHash(arg);
                        assertThat(m.runReceipts.add(r.index())).isTrue();
                    }
                }
                case HELD_RECEIPT -> {
                    Receipt r = pool.tryAcquireReceipt();
                    if (m.receiptsInUse() == RECEIPTS) {
                        assertThat(r).isNull();
                    } else {
                        assertThat(r).isNotNull();
                        r.aHash(arg);
                        m.heldReceipts.add(r.index());
                        held.add(r);
                    }
                }
                case CLOSE_HELD -> {
                    if (!held.isEmpty()) {
                        Receipt r = held.remove(arg % held.size());
                        r.close();
                        m.heldReceipts.remove(Integer.valueOf(r.index()));
                    }
                }
                case ATTACH -> {
                    if (!held.isEmpty() && !out.isEmpty()) {
                        SoaBuffer b = out.get(arg % out.size());
                        if (b.receiptCount() < 2) {
                            b.attach(held.remove(arg % held.size()));
                        }
                    }
                }
                case RESET -> {
                    pool.resetReceipts();
                    m.runReceipts.clear();
                }
                case CLEAR -> {
                    pool.clear();
                    m.runReceipts.clear();
                    // clear() may re-order free slots; the model follows the pool's new order
                    m.free.clear();
                    SoaBuffer[] drained = new SoaBuffer[BUFFERS];
                    int n = 0;
                    SoaBuffer b;
                    while ((b = pool.tryAcquire(1)) != null) {
                        drained[n++] = b;
                    }
                    for (int k = n - 1; k >= 0; k--) {
                        assertThat(m.leased).doesNotContain(drained[k].slot());
                        drained[k].close();
                        m.free.push(drained[k].slot());
                    }
                    m.acquired += n;
                    m.released += n;
                    m.exhausted++;
                }
                default -> throw new AssertionError(step);
            }
            assertThat(pool.soaInUse()).isEqualTo(m.leased.size());
            assertThat(pool.receiptsInUse()).isEqualTo(m.receiptsInUse());
            assertThat(pool.acquiredCount()).isEqualTo(m.acquired);
            assertThat(pool.releasedCount()).isEqualTo(m.released);
            assertThat(pool.exhaustedCount()).isEqualTo(m.exhausted);
            assertThat(held).allSatisfy(r -> assertThat(r.isHeld()).isTrue());
        }
    }
}
