package io.github.hotpool.triples;

import static io.github.hotpool.core.ReceiptLayout.RECEIPT_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.PoolOptions;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.ReceiptLayout;
import io.github.hotpool.core.RunTable;
import io.github.hotpool.core.Slab;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.github.hotpool.core.testing.Gen;
import io.github.hotpool.core.testing.LanePath;
import io.github.hotpool.core.testing.PropertyRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Speed never changes an answer: on random rows, runs and hooks, every span kernel writes, run
 * for run, the result and the receipt the single-run kernel writes, and CONSTRUCT8's span form
 * builds the same triples in the same lane order.
 */
class SpanKernelPropertyTest {

    /** A few ids, so that lanes collide with the hook's ids often; HIGH and MAX test unsigned order. */
    static final long HIGH = 0x8000_0000_0000_0001L;
    static final long[] IDS = {0, 1, 2, 3, 10, 11, 20, HIGH, -1L};
    static final long[] PREDICATES = {100, 200, 300, 0};
    static final long[] KS = {0, 1, 2, 3, 7, 8, 9, HIGH, -1L};

    record Run(int row, long predicate, int offset, int length) {
    }

    record Case(long[][] rows, List<Run> runs, Hook hook, long cycleId) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("hook ").append(hook.op()).append(" p=").append(hook.predicate())
                .append(" s=").append(Long.toUnsignedString(hook.subject())).append(" o=")
                .append(Long.toUnsignedString(hook.object())).append(" k=").append(Long.toUnsignedString(hook.k()))
                .append(" cycle=").append(cycleId).append("\n    runs ").append(runs);
            for (int r = 0; r < rows.length; r++) {
                sb.append("\n    row ").append(r).append(" S=").append(Arrays.toString(Arrays.copyOfRange(rows[r], 0, 8)))
                    .append(" O=").append(Arrays.toString(Arrays.copyOfRange(rows[r], 16, 24)));
            }
            return sb.toString();
        }
    }

    @BeforeAll
    static void sayWhichPath() {
        System.out.println(LanePath.describe());
    }

    @Test
    void kernelsRunOnTheLanePathThisJdkAndClassPathMustLoad() {
        assertThat(Slab.accessPath()).isEqualTo(LanePath.expected());
        assertThat(Slab.lineScans()).as(LanePath.describe()).isEqualTo(LanePath.expectedLineScans());
        assertThat(LanePath.lineBits()).as(LanePath.describe()).isEqualTo(LanePath.expectedLineBits());
        LanePath.checkRequired();
    }

    static Case draw(Gen g) {
        int rowCount = g.intBetween(1, 6);
        long[][] rows = new long[rowCount][24];
        for (long[] row : rows) {
            for (int lane = 0; lane < 8; lane++) {
                row[lane] = g.oneIn(5) ? 0 : IDS[g.intBetween(1, IDS.length - 1)];
                row[8 + lane] = PREDICATES[g.intBetween(0, PREDICATES.length - 1)];
                row[16 + lane] = IDS[g.intBetween(0, IDS.length - 1)];
            }
        }
        List<Run> runs = g.listOf(0, 12, gg -> {
            int off = gg.intBetween(0, 8);
            return new Run(gg.intBetween(0, rowCount - 1), PREDICATES[gg.intBetween(0, PREDICATES.length - 1)], off,
                gg.intBetween(0, 8 - off));
        });
        HookOp op = g.oneOf(HookOp.class);
        long predicate = g.oneIn(6) ? 999 : PREDICATES[g.intBetween(0, PREDICATES.length - 1)];
        Hook hook = Hook.of(g.intBetween(1, 1 << 20), "h", op, predicate, IDS[g.intBetween(0, IDS.length - 1)],
            g.oneIn(8) ? g.anyLong() : IDS[g.intBetween(0, IDS.length - 1)], KS[g.intBetween(0, KS.length - 1)]);
        return new Case(rows, runs, hook, g.anyLong());
    }

    static List<Case> edgeCases() {
        List<Case> cases = new ArrayList<>();
        long[][] full = new long[1][24];
        for (int lane = 0; lane < 8; lane++) {
            full[0][lane] = 1 + (lane & 3);
            full[0][8 + lane] = 100;
            full[0][16 + lane] = 10 + lane;
        }
        for (HookOp op : HookOp.values()) {
            cases.add(new Case(full, List.of(new Run(0, 100, 0, 8)), Hook.of(1, "full", op, 100, 2, 13, 2), 5));
        }
        long[][] empty = new long[2][24];
        cases.add(new Case(empty, List.of(), Hook.of(1, "none", HookOp.ASK_SP, 100, 0, 0, 0), 0));
        cases.add(new Case(empty, List.of(new Run(1, 100, 3, 0), new Run(0, 100, 0, 8)),
            Hook.of(1, "zeros", HookOp.COUNT_SP_EQ, 100, 0, 0, 0), -1));
        cases.add(new Case(empty, List.of(new Run(1, 100, 0, 8)), Hook.of(1, "zero-o", HookOp.ASK_OP, 100, 0, 0, 0), 1));
        return cases;
    }

    @Test
    void spanKernels_writeWhatTheSingleRunKernelsWrite_runForRun() {
        PropertyRunner.forAll(SpanKernelPropertyTest::draw)
            .tries(1500)
            .edgeCases(edgeCases())
            .check(SpanKernelPropertyTest::spanEqualsSingleRuns);
    }

    static void spanEqualsSingleRuns(Case c) {
        int rowCount = c.rows().length;
        int n = c.runs().size();
        BufferPool pool = new BufferPool(new PoolOptions().setSoaBuffers(rowCount + 1).setReceipts(n + 1)
            .setReceiptsPerBuffer(0));
        SoaBuffer[] buffers = new SoaBuffer[rowCount];
        for (int r = 0; r < rowCount; r++) {
            buffers[r] = pool.acquire(8);
            for (int lane = 0; lane < 8; lane++) {
                buffers[r].set(lane, c.rows()[r][lane], c.rows()[r][8 + lane], c.rows()[r][16 + lane]);
            }
        }
        RunTable table = new RunTable(Math.max(1, n));
        for (Run run : c.runs()) {
            table.add(buffers[run.row()].slot(), run.predicate(), run.offset(), run.length());
        }
        SpanReceipts spanReceipts = new SpanReceipts(Math.max(1, n));
        Slab lines = Slab.allocate((long) Math.max(1, n) * RECEIPT_LENGTH);
        Hook hook = c.hook();
        boolean construct = hook.op() == HookOp.CONSTRUCT8;
        Slab out = Slab.allocate((long) Math.max(1, n) * SoaLayout.BUFFER_LENGTH);
        int spanReturn = construct
            ? HookKernels.constructSpan(hook, pool.soaMemory(), table, out, 0, spanReceipts, c.cycleId())
            : HookKernels.evalSpan(hook, pool.soaMemory(), table, spanReceipts, c.cycleId());
        assertThat(spanReceipts.size()).as("span receipts").isEqualTo(n);

        int expectedReturn = 0;
        SoaBuffer single = pool.acquire(8);
        for (int i = 0; i < n; i++) {
            Run run = c.runs().get(i);
            Receipt r = pool.acquireReceipt().cycleId(c.cycleId());
            long result;
            if (construct) {
                result = HookKernels.construct8(hook, buffers[run.row()], run.predicate(), run.offset(), run.length(),
                    single.length(0), r);
                expectedReturn += single.length();
                int outRow = i * SoaLayout.BUFFER_LENGTH;
                int k = 0;
                for (int lane = 0; lane < 8; lane++) {
                    long s = out.getLong(outRow + SoaLayout.S_OFFSET + 8 * lane);
                    long p = out.getLong(outRow + SoaLayout.P_OFFSET + 8 * lane);
                    long o = out.getLong(outRow + SoaLayout.O_OFFSET + 8 * lane);
                    boolean used = ((result << run.offset()) >>> lane & 1) != 0;
                    if (used) {
                        assertThat(new long[] {s, p, o}).as("run %d lane %d", i, lane)
                            .containsExactly(single.subject(k), single.predicate(k), single.object(k));
                        k++;
                    } else {
                        assertThat(new long[] {s, p, o}).as("run %d lane %d (not constructed)", i, lane)
                            .containsExactly(0, 0, 0);
                    }
                }
                assertThat(k).as("run %d triples", i).isEqualTo(single.length());
            } else {
                result = HookKernels.eval(hook, buffers[run.row()], run.predicate(), run.offset(), run.length(), r);
                expectedReturn += (int) result;
            }
            int line = i * RECEIPT_LENGTH;
            spanReceipts.writeLine(i, lines, line); // the whole receipt line, derived fields included
            for (int field = 0; field < RECEIPT_LENGTH; field += Long.BYTES) {
                assertThat(lines.getLong(line + field)).as("run %d: receipt bytes %d..%d (%s)", i, field,
                    field + 7, fieldName(field)).isEqualTo(pool.receiptMemory().getLong(r.base() + field));
            }
            assertThat(spanReceipts.result(i)).as("run %d result", i).isEqualTo(result);
            assertThat(new long[] {spanReceipts.cycleId(), spanReceipts.hookId(), spanReceipts.lanes(i),
                spanReceipts.flags(i), spanReceipts.spanId(i), spanReceipts.aHash(i)})
                .as("run %d: cycleId, hookId, lanes, flags, spanId, aHash read through SpanReceipts", i)
                .containsExactly(r.cycleId(), r.hookId(), r.lanes(), r.flags(), r.spanId(), r.aHash());
            Receipt copy = spanReceipts.writeTo(i, pool.acquireReceipt());
            assertThat(copy.spanId() ^ copy.aHash() ^ copy.result()).as("run %d: writeTo", i)
                .isEqualTo(r.spanId() ^ r.aHash() ^ r.result());
            copy.close();
            r.close();
        }
        assertThat(spanReturn).as("span kernel's return").isEqualTo(expectedReturn);
    }

    private static String fieldName(int offset) {
        switch (offset) {
            case ReceiptLayout.CYCLE_ID_OFFSET: return "cycleId";
            case ReceiptLayout.SHARD_ID_OFFSET: return "shardId, hookId";
            case ReceiptLayout.TICKS_OFFSET: return "ticks";
            case ReceiptLayout.ACTUAL_TICKS_OFFSET: return "actualTicks";
            case ReceiptLayout.LANES_OFFSET: return "lanes, flags";
            case ReceiptLayout.SPAN_ID_OFFSET: return "spanId";
            case ReceiptLayout.A_HASH_OFFSET: return "aHash";
            default: return "result";
        }
    }
}
