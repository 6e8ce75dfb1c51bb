package io.github.hotpool.triples;

import static io.github.hotpool.triples.HookOp.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.ReceiptLayout;
import io.github.hotpool.core.RunTable;
import io.github.hotpool.core.Slab;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HookKernelsTest {

    static final long P = 100;
    static final long Q = 200;
    static final long HIGH = 0x8000_0000_0000_0001L; // >= 2^63: negative as a signed long

    private final BufferPool pool = new BufferPool(new PoolOptions());
    private final SoaBuffer buf = pool.acquire(8);

    /*
     * Lanes: run {Q,0,2} then run {P,2,4}, lanes 6..7 zero padding.
     *   lane  S    O
     *   0     1    10   (pred Q)
     *   1     2    20   (pred Q)
     *   2     1    10
     *   3     1    HIGH
     *   4     3    30
     *   5     3    10
     */
    HookKernelsTest() {
        long[][] t = {{1, Q, 10}, {2, Q, 20}, {1, P, 10}, {1, P, HIGH}, {3, P, 30}, {3, P, 10}};
        for (int i = 0; i < t.length; i++) {
            buf.set(i, t[i][0], t[i][1], t[i][2]);
        }
        buf.length(6).addRun(Q, 0, 2).addRun(P, 2, 4);
    }

    @AfterEach
    void release() {
        if (!buf.isReleased()) {
            buf.close();
        }
    }

    @Test
    void kernelOnAReleasedBuffer_isRefusedInsteadOfReadingTheNextLease() {
        Receipt r = pool.acquireReceipt();
        Hook ask = Hook.of(1, "ask", HookOp.ASK_SP, P, 1, 0, 0);
        buf.close();
        assertThatThrownBy(() -> HookKernels.eval(ask, buf, P, 2, 4, r))
            .isInstanceOf(io.github.hotpool.core.StaleHandleException.class).hasMessageContaining("used after release");
        r.close();
    }

    private long eval(HookOp op, long s, long o, long k) {
        return HookKernels.eval(Hook.of(7, "h", op, P, s, o, k), buf, 1, pool.receipt());
    }

    @ParameterizedTest(name = "{0} s={1} o={2} k={3} -> {4}")
    @CsvSource({
        "ASK_SP, 1, 0, 0, 1", "ASK_SP, 2, 0, 0, 0", "ASK_SP, 0, 0, 0, 0",
        "ASK_SPO, 1, 10, 0, 1", "ASK_SPO, 3, 20, 0, 0", "ASK_SPO, 2, 20, 0, 0",
        "ASK_OP, 0, 30, 0, 1", "ASK_OP, 0, 20, 0, 0",
        "COUNT_SP_GE, 1, 0, 2, 1", "COUNT_SP_GE, 1, 0, 3, 0", "COUNT_SP_GE, 9, 0, 0, 1",
        "COUNT_SP_LE, 1, 0, 2, 1", "COUNT_SP_LE, 1, 0, 1, 0", "COUNT_SP_LE, 9, 0, 0, 1",
        "COUNT_SP_EQ, 3, 0, 2, 1", "COUNT_SP_EQ, 3, 0, 1, 0", "COUNT_SP_EQ, 9, 0, 0, 1",
        "COUNT_OP_GE, 0, 10, 2, 1", "COUNT_OP_GE, 0, 10, 3, 0",
        "COUNT_OP_LE, 0, 10, 1, 0", "COUNT_OP_LE, 0, 30, 1, 1",
        "COUNT_OP_EQ, 0, 10, 2, 1", "COUNT_OP_EQ, 0, 20, 0, 1",
        "UNIQUE_SP, 1, 0, 0, 0", "UNIQUE_SP, 3, 0, 0, 0", "UNIQUE_SP, 2, 0, 0, 0",
        "COMPARE_O_EQ, 0, 30, 0, 1", "COMPARE_O_EQ, 0, 20, 0, 0",
        "COMPARE_O_GT, 0, 30, 0, 1", "COMPARE_O_LT, 0, 10, 0, 0", "COMPARE_O_LT, 0, 11, 0, 1",
        "COMPARE_O_GE, 0, 31, 0, 1", "COMPARE_O_LE, 0, 9, 0, 0", "COMPARE_O_LE, 0, 10, 0, 1",
        "VALIDATE_DATATYPE_SPO, 1, 10, 0, 1", "VALIDATE_DATATYPE_SPO, 1, 30, 0, 0",
        "VALIDATE_DATATYPE_SP, 1, 10, 0, 0", "VALIDATE_DATATYPE_SP, 9, 10, 0, 1",
    })
    void op_onRunAtOffsetTwo_seesOnlyItsOwnLanes(HookOp op, long s, long o, long k, long expected) {
        assertThat(eval(op, s, o, k)).isEqualTo(expected);
    }

    @Test
    void uniqueSp_isTrueForExactlyOneLane() {
        buf.set(4, 4, P, 30);
        assertThat(eval(UNIQUE_SP, 4, 0, 0)).isEqualTo(1);
    }

    @Test
    void validateDatatypeSp_isTrueWhenEveryValueOfTheSubjectIsTheExpectedTerm() {
        assertThat(eval(VALIDATE_DATATYPE_SP, 3, 30, 0)).isZero();
        buf.set(5, 3, P, 30);
        assertThat(eval(VALIDATE_DATATYPE_SP, 3, 30, 0)).isEqualTo(1);
    }

    @Test
    void idsAtOrAbove2pow63_compareUnsigned() {
        assertThat(eval(ASK_OP, 0, HIGH, 0)).isEqualTo(1);
        // HIGH is the largest object: nothing is greater, and it is greater than 30
        assertThat(eval(COMPARE_O_GT, 0, HIGH, 0)).isZero();
        assertThat(eval(COMPARE_O_GT, 0, HIGH - 2, 0)).isEqualTo(1);
        assertThat(eval(COMPARE_O_LT, 0, 0xFFFF_FFFF_FFFF_FFFFL, 0)).isEqualTo(1);
        assertThat(eval(COUNT_SP_LE, 1, 0, -1L /* 2^64-1 */)).isEqualTo(1);
        assertThat(eval(COUNT_SP_GE, 1, 0, -1L)).isZero();
    }

    @Test
    void zeroPadding_isNeverMatched_evenWhenAskingForSubjectZero() {
        assertThat(HookKernels.eval(Hook.of(1, "pad", ASK_SP, 0, 0, 0, 0), buf, 0L, 6, 2, pool.receipt())).isZero();
        assertThat(HookKernels.eval(Hook.of(1, "pad", COUNT_SP_EQ, 0, 0, 0, 0), buf, 0L, 6, 2, pool.receipt()))
                .isEqualTo(1); // zero live lanes
        assertThat(HookKernels.eval(Hook.of(1, "pad", ASK_OP, 0, 0, 0, 0), buf, 0L, 6, 2, pool.receipt())).isZero();
    }

    @Test
    void neighbouringRun_isNotSeen() {
        // subject 2 and object 20 exist only in run 0 (pred Q)
        assertThat(eval(ASK_SP, 2, 0, 0)).isZero();
        assertThat(HookKernels.eval(Hook.of(1, "q", ASK_SP, Q, 2, 0, 0), buf, 0, pool.receipt())).isEqualTo(1);
    }

    @Test
    void kZero_countGeIsAlwaysTrue_countEqMeansAbsent() {
        assertThat(eval(COUNT_SP_GE, 42, 0, 0)).isEqualTo(1);
        assertThat(eval(COUNT_SP_EQ, 42, 0, 0)).isEqualTo(1);
        assertThat(eval(COUNT_SP_EQ, 1, 0, 0)).isZero();
    }

    @Test
    void emptyRun_countsNothing() {
        Receipt r = pool.receipt();
        assertThat(HookKernels.eval(Hook.of(1, "e", ASK_SP, P, 1, 0, 0), buf, P, 2, 0, r)).isZero();
        assertThat(r.lanes()).isZero();
        assertThat(HookKernels.eval(Hook.of(1, "e", COUNT_SP_LE, P, 1, 0, 0), buf, P, 2, 0, pool.receipt())).isEqualTo(1);
    }

    @Test
    void predicateMismatch_givesZeroWithoutLookingAtLanes() {
        Receipt r = pool.receipt();
        assertThat(HookKernels.eval(Hook.of(3, "q", COUNT_SP_LE, Q, 1, 0, 5), buf, 1, r)).isZero();
        assertThat(r.lanes()).isZero();
        assertThat(r.flags() & HookKernels.FLAG_PREDICATE_MATCH).isZero();
    }

    @Test
    void receipt_carriesHookLanesFlagsAndTheDesignAHash() {
        Receipt r = pool.receipt().cycleId(5);
        long result = HookKernels.eval(Hook.of(7, "h", ASK_SPO, P, 1, 10, 3), buf, 1, r);
        assertThat(result).isEqualTo(1);
        assertThat(r.hookId()).isEqualTo(7);
        assertThat(r.lanes()).isEqualTo(4);
        assertThat(r.result()).isEqualTo(1);
        assertThat(r.flags()).isEqualTo(ASK_SPO.ordinal() | HookKernels.FLAG_PREDICATE_MATCH | HookKernels.FLAG_RESULT);
        assertThat(r.aHash()).isEqualTo(1 ^ P ^ 10 ^ 3 ^ 1 ^ P);
        assertThat(r.cycleId()).isEqualTo(5);
        Receipt again = pool.receipt().cycleId(5);
        HookKernels.eval(Hook.of(7, "h", ASK_SPO, P, 1, 10, 3), buf, 1, again);
        assertThat(again.spanId()).isEqualTo(r.spanId()).isNotZero();
        Receipt otherCycle = pool.receipt().cycleId(6);
        HookKernels.eval(Hook.of(7, "h", ASK_SPO, P, 1, 10, 3), buf, 1, otherCycle);
        assertThat(otherCycle.spanId()).isNotEqualTo(r.spanId());
    }

    @Test
    void construct8_originalVector_writesThreeTriplesFromLanes0_2_3() {
        try (SoaBuffer in = pool.acquire(8); SoaBuffer out = pool.acquire(8)) {
            long[] s = {0xA11CE, 0, 0xB22FF, 0xC33AA};
            for (int i = 0; i < 4; i++) {
                in.set(i, s[i], 0xC0FFEE, 0x1234);
            }
            in.length(4).addRun(0xC0FFEE, 0, 4);
            Receipt r = pool.receipt();
            long mask = HookKernels.construct8(Hook.of(9, "c", CONSTRUCT8, 0xC0FFEE, 0, 0xBEEF, 0), in, 0, out, r);
            assertThat(mask).isEqualTo(0b1101);
            assertThat(out.length()).isEqualTo(3);
            assertThat(new long[] {out.subject(0), out.subject(1), out.subject(2)}).containsExactly(0xA11CE, 0xB22FF, 0xC33AA);
            for (int i = 0; i < 3; i++) {
                assertThat(out.predicate(i)).isEqualTo(0xC0FFEE);
                assertThat(out.object(i)).isEqualTo(0xBEEF);
            }
            assertThat(r.lanes()).isEqualTo(3);
            assertThat(r.result()).isEqualTo(0b1101);
        }
    }

    @Test
    void construct8_withoutRoomInTheOutput_writesNothingAndSaysHowMuchWasNeeded() {
        try (SoaBuffer out = pool.acquire(2)) {
            Receipt r = pool.receipt();
            assertThatThrownBy(() -> HookKernels.construct8(Hook.of(9, "c", CONSTRUCT8, P, 0, 1, 0), buf, 1, out, r))
                    .hasMessageContaining("needs 4 lanes").hasMessageContaining("capacity 2");
            assertThat(out.length()).isZero();
            assertThat(r.hookId()).isZero();
        }
    }

    @Test
    void construct8_onAnotherPredicate_writesNothing() {
        try (SoaBuffer out = pool.acquire(8)) {
            assertThat(HookKernels.construct8(Hook.of(9, "c", CONSTRUCT8, P, 0, 1, 0), buf, 0, out, pool.receipt())).isZero();
            assertThat(out.length()).isZero();
        }
    }

    @Test
    void runOutsideTheBuffer_isRejected() {
        assertThatThrownBy(() -> HookKernels.eval(Hook.of(1, "x", ASK_SP, P, 1, 0, 0), buf, P, 5, 4, pool.receipt()))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("run [5, 9)");
        assertThatThrownBy(() -> HookKernels.eval(Hook.of(1, "x", CONSTRUCT8, P, 0, 1, 0), buf, 1, pool.receipt()))
                .hasMessageContaining("construct8");
    }

    @Test
    void evalSpan_writesOneReceiptPerRun() {
        RunTable runs = new RunTable(4).addRunsOf(buf).add(buf.slot(), P, 6, 2);
        SpanReceipts receipts = new SpanReceipts(5);
        int ones = HookKernels.evalSpan(Hook.of(4, "s", ASK_SP, P, 3, 0, 0), pool.soaMemory(), runs, receipts, 77);
        assertThat(ones).isEqualTo(1);
        assertThat(receipts.size()).isEqualTo(3);
        assertThat(receipts.cycleId()).isEqualTo(77);
        assertThat(receipts.hookId()).isEqualTo(4);
        int[] lanes = new int[3];
        long[] results = new long[3];
        int[] flags = new int[3];
        for (int i = 0; i < 3; i++) {
            lanes[i] = receipts.lanes(i);
            results[i] = receipts.result(i);
            flags[i] = receipts.flags(i);
        }
        assertThat(lanes).containsExactly(0, 4, 0); // run Q does not match; the padding run has no live lane
        assertThat(results).containsExactly(0, 1, 0);
        int match = HookKernels.FLAG_PREDICATE_MATCH;
        int op = ASK_SP.ordinal();
        assertThat(flags).containsExactly(op, op | match | HookKernels.FLAG_RESULT, op | match);
        Slab lines = Slab.allocate(5 * 64);
        receipts.writeLine(1, lines, 2 * 64);
        assertThat(lines.getLong(2 * 64 + ReceiptLayout.CYCLE_ID_OFFSET)).isEqualTo(77);
        assertThat(lines.getInt(2 * 64 + ReceiptLayout.HOOK_ID_OFFSET)).isEqualTo(4);
        assertThat(lines.getLong(2 * 64 + ReceiptLayout.RESULT_OFFSET)).isEqualTo(1);
        assertThat(lines.getLong(2 * 64 + ReceiptLayout.SPAN_ID_OFFSET)).isEqualTo(receipts.spanId(1));
        assertThat(lines.getLong(64 + 56)).isZero();
        assertThatThrownBy(() -> receipts.result(3)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("run 3 outside [0, size 3)");
    }

    @Test
    void spanReceipts_refuseToDeriveFromAClearedTable() {
        RunTable runs = new RunTable(3).addRunsOf(buf);
        SpanReceipts receipts = new SpanReceipts(2);
        HookKernels.evalSpan(Hook.of(4, "s", ASK_SP, P, 3, 0, 0), pool.soaMemory(), runs, receipts, 1);
        long before = receipts.spanId(0);
        runs.add(buf.slot(), P, 0, 1); // appending keeps runs 0..size-1
        assertThat(receipts.spanId(0)).isEqualTo(before);
        runs.clear();
        assertThatThrownBy(() -> receipts.spanId(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cleared");
        assertThatThrownBy(() -> new SpanReceipts(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void spans_outsideTheirSlabs_areRefusedBeforeWritingAnything() {
        Hook ask = Hook.of(1, "a", ASK_SP, P, 1, 0, 0);
        SpanReceipts receipts = new SpanReceipts(1);
        RunTable farRow = new RunTable(1).add(16, P, 0, 8);
        assertThatThrownBy(() -> HookKernels.evalSpan(ask, pool.soaMemory(), farRow, receipts, 1))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("run on row 16 outside the 16 rows");
        RunTable two = new RunTable(2).addRunsOf(buf);
        assertThatThrownBy(() -> HookKernels.evalSpan(ask, pool.soaMemory(), two, receipts, 1))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("span of 2 runs exceeds the 1 runs");
        assertThat(receipts.size()).isZero();
        Hook construct = Hook.of(2, "c", CONSTRUCT8, P, 0, 5, 0);
        SpanReceipts room = new SpanReceipts(2);
        assertThatThrownBy(() -> HookKernels.evalSpan(construct, pool.soaMemory(), two, room, 1))
                .hasMessageContaining("constructSpan");
        Slab rows = Slab.allocate(2 * SoaLayout.BUFFER_LENGTH);
        assertThatThrownBy(() -> HookKernels.constructSpan(ask, pool.soaMemory(), two, rows, 0, room, 1))
                .hasMessageContaining("is not CONSTRUCT8");
        Slab oneRow = Slab.allocate(SoaLayout.BUFFER_LENGTH);
        assertThatThrownBy(() -> HookKernels.constructSpan(construct, pool.soaMemory(), two, oneRow, 0, room, 1))
                .hasMessageContaining("output rows [0, 2) outside the 1 rows");
        assertThatThrownBy(() -> HookKernels.constructSpan(construct, pool.soaMemory(), two, pool.soaMemory(), buf.slot(),
                room, 1)).hasMessageContaining("would overwrite input rows below " + (buf.slot() + 1));
        assertThatThrownBy(() -> HookKernels.constructSpan(construct, pool.soaMemory(), two, rows, 0, receipts, 1))
                .hasMessageContaining("span of 2 runs exceeds the 1 runs");
        assertThat(rows.getLong(0)).as("nothing written").isZero();
        assertThat(room.size()).isZero();
    }

    @Test
    void constructSpan_onTheOriginalVector_putsTheTriplesInTheirLanes() {
        try (SoaBuffer in = pool.acquire(8)) {
            long[] s = {0xA11CE, 0, 0xB22FF, 0xC33AA};
            for (int i = 0; i < 4; i++) {
                in.set(i, s[i], 0xC0FFEE, 0x1234);
            }
            in.length(4).addRun(0xC0FFEE, 0, 4);
            Slab out = Slab.allocate(SoaLayout.BUFFER_LENGTH);
            SpanReceipts receipts = new SpanReceipts(1);
            int made = HookKernels.constructSpan(Hook.of(9, "c", CONSTRUCT8, 0xC0FFEE, 0, 0xBEEF, 0), pool.soaMemory(),
                    new RunTable(1).addRunsOf(in), out, 0, receipts, 3);
            assertThat(made).isEqualTo(3);
            assertThat(receipts.result(0)).isEqualTo(0b1101);
            assertThat(receipts.lanes(0)).isEqualTo(3);
            long[] subjects = new long[8];
            for (int lane = 0; lane < 8; lane++) {
                subjects[lane] = out.getLong(SoaLayout.S_OFFSET + 8 * lane);
                long live = subjects[lane] != 0 ? 1 : 0;
                assertThat(out.getLong(SoaLayout.P_OFFSET + 8 * lane)).isEqualTo(0xC0FFEE * live);
                assertThat(out.getLong(SoaLayout.O_OFFSET + 8 * lane)).isEqualTo(0xBEEF * live);
            }
            assertThat(subjects).containsExactly(0xA11CE, 0, 0xB22FF, 0xC33AA, 0, 0, 0, 0);
        }
    }
}
