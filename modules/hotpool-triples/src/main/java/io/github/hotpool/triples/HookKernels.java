package io.github.hotpool.triples;

import static io.github.hotpool.core.SoaLayout.BUFFER_LENGTH;
import static io.github.hotpool.core.SoaLayout.MAX_RUN_LEN;
import static io.github.hotpool.core.SoaLayout.O_OFFSET;
import static io.github.hotpool.core.SoaLayout.S_OFFSET;

import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.ReceiptLayout;
import io.github.hotpool.core.RunTable;
import io.github.hotpool.core.Slab;
import io.github.hotpool.core.SoaBuffer;

/**
 * The Reflex stage's kernels: evaluate one hook over one predicate run of a pooled SoA buffer
 * ({@link #eval}, {@link #construct8}), or over every run of many rows of one slab in one call
 * ({@link #evalSpan}, {@link #constructSpan}), and write the outcome into receipts: a pooled
 * {@link Receipt} per single run, a {@link SpanReceipts} per span. Stateless, thread-safe;
 * allocates nothing.
 *
 * <p>Receipt fields written: hookId, lanes (live lanes of the run that the op looked at; 0 when
 * the predicate differs), flags ({@link #FLAG_OP_MASK} op ordinal, {@link #FLAG_PREDICATE_MATCH},
 * {@link #FLAG_RESULT}), spanId, aHash, result. The single-run kernels take the cycle id from
 * the receipt (set it first: the span id uses it); the caller sets shardId and ticks. A span
 * kernel writes per run only its result, lanes and predicate match, and the cycle id and hook
 * once per span; its {@link SpanReceipts} derive the rest, so that each run reads, for the same
 * run and cycle, exactly the receipt fields and the result the single-run kernel writes.
 */
public final class HookKernels {

    /** Low 8 flag bits: the op's ordinal. */
    public static final int FLAG_OP_MASK = 0xFF;
    /** Flag bit: the run's predicate equals the hook's. */
    public static final int FLAG_PREDICATE_MATCH = 1 << 8;
    /** Flag bit: the result is not 0. */
    public static final int FLAG_RESULT = 1 << 9;

    /*
     * A lane is live when it lies inside the run and its subject is not 0 (id 0 never names a
     * term: it marks an empty lane). Every op first compares the run's predicate with the hook's,
     * then looks only at the run's live lanes, never at padding or neighbouring runs. Ids are
     * compared as unsigned 64-bit values.
     *
     * How: a run's lanes are always read as the row's whole cache line, all eight lanes, with no
     * loop and no branch (a fixed trip count, unrolled by hand, measured faster than the loop the
     * JIT unrolls itself), into 8-bit masks (bit j = lane j); the run's bits are kept with one
     * AND. Each op then needs only the number of selected lanes: the hook's decision table says
     * which counts (0..8) make the result 1. Everything that depends on the hook alone (which
     * lines to read, the table, the hook's share of the hash) is worked out
     * once: in the Hook's constructor or once per span, never per run.
     */

    /** The op reads the S line: selected = S equal. */
    static final int FAMILY_S = 0;
    /** S line for liveness, O line: selected = O equal. */
    static final int FAMILY_O_EQ = 1;
    /** Selected = O greater (unsigned), or not greater when the hook inverts. */
    static final int FAMILY_O_GT = 2;
    /** Selected = O less (unsigned), or not less when the hook inverts. */
    static final int FAMILY_O_LT = 3;
    /** Selected = S equal and O equal. */
    static final int FAMILY_SO = 4;
    /** Selected = S equal and O not equal. */
    static final int FAMILY_S_NOT_O = 5;
    /** CONSTRUCT8: writes triples, selects the live lanes. */
    static final int FAMILY_CONSTRUCT = 6;

    private static final int ANY = 0x1FE; // result 1 for 1..8 selected lanes

    private HookKernels() {
    }

    // ------------------------------------------------------------------ what a hook needs, once

    static int family(HookOp op) {
        switch (op) {
            case ASK_SP:
            case COUNT_SP_GE:
            case COUNT_SP_LE:
            case COUNT_SP_EQ:
            case UNIQUE_SP: return FAMILY_S;
            case ASK_OP:
            case COUNT_OP_GE:
            case COUNT_OP_LE:
            case COUNT_OP_EQ:
            case COMPARE_O_EQ: return FAMILY_O_EQ;
            case COMPARE_O_GT:
            case COMPARE_O_LE: return FAMILY_O_GT;
            case COMPARE_O_LT:
            case COMPARE_O_GE: return FAMILY_O_LT;
            case ASK_SPO:
            case VALIDATE_DATATYPE_SPO: return FAMILY_SO;
            case VALIDATE_DATATYPE_SP: return FAMILY_S_NOT_O;
            case CONSTRUCT8: return FAMILY_CONSTRUCT;
            default: throw new IllegalStateException("unhandled op " + op);
        }
    }

    /** Bit c is set when c selected lanes (c = 0..8) make the op's result 1; k is unsigned. */
    static int decisionTable(HookOp op, long k) {
        int table = 0;
        for (int c = 0; c <= MAX_RUN_LEN; c++) {
            boolean one;
            switch (op) {
                case COUNT_SP_GE:
                case COUNT_OP_GE: one = Long.compareUnsigned(c, k) >= 0; break;
                case COUNT_SP_LE:
                case COUNT_OP_LE: one = Long.compareUnsigned(c, k) <= 0; break;
                case COUNT_SP_EQ:
                case COUNT_OP_EQ: one = c == k; break;
                case UNIQUE_SP: one = c == 1; break;
                // every value the subject has on the predicate is exactly the hook's typed literal
                case VALIDATE_DATATYPE_SP: one = c == 0; break;
                default: one = c != 0; // ASK_*, COMPARE_*, VALIDATE_DATATYPE_SPO; CONSTRUCT8 ignores it
            }
            table |= (one ? 1 : 0) << c;
        }
        return table;
    }

    // ------------------------------------------------------------------ single run

    /**
     * Evaluates a boolean op on run {@code run} of {@code buffer} into {@code receipt}.
     *
     * @return the result (0 or 1)
     * @throws IllegalArgumentException for CONSTRUCT8 (use {@link #construct8})
     */
    public static long eval(Hook hook, SoaBuffer buffer, int run, Receipt receipt) {
        return eval(hook, buffer, buffer.runPredicate(run), buffer.runOffset(run), buffer.runLength(run), receipt);
    }

    /**
     * Evaluates a boolean op on the run {@code (runPredicate, off, len)} given explicitly; a run
     * may be empty ({@code len == 0}).
     *
     * @throws IndexOutOfBoundsException when the run does not lie within the buffer's capacity
     */
    public static long eval(Hook hook, SoaBuffer buffer, long runPredicate, int off, int len, Receipt receipt) {
        if (hook.family == FAMILY_CONSTRUCT) {
            throw needsOutput(hook);
        }
        checkRun(buffer, off, len);
        final boolean match = runPredicate == hook.predicate();
        long result = 0;
        int lanes = 0;
        if (match) {
            final int m = masks(hook.family, hook.subject(), hook.object(), hook.invert, buffer.memory(), buffer.base(),
                    runBits(off, len));
            lanes = Integer.bitCount(m & 0xFF);
            result = (hook.table >>> Integer.bitCount(m >>> 8)) & 1;
        }
        write(hook, receipt, runPredicate, off, match, lanes, result);
        return result;
    }

    /**
     * CONSTRUCT8: for each live lane of run {@code run} whose predicate matches, appends
     * (S, hook.predicate, hook.object) to {@code out} at its current length.
     *
     * @return the lane mask (bit i = lane {@code off + i} of the run was used)
     * @throws IllegalArgumentException when {@code out} lacks room; nothing is written then
     */
    public static long construct8(Hook hook, SoaBuffer buffer, int run, SoaBuffer out, Receipt receipt) {
        return construct8(hook, buffer, buffer.runPredicate(run), buffer.runOffset(run), buffer.runLength(run),
                out, receipt);
    }

    /** CONSTRUCT8 on an explicit run {@code (runPredicate, off, len)}; see the other overload. */
    public static long construct8(Hook hook, SoaBuffer buffer, long runPredicate, int off, int len,
                                  SoaBuffer out, Receipt receipt) {
        if (hook.family != FAMILY_CONSTRUCT) {
            throw new IllegalArgumentException(hook + " is not CONSTRUCT8");
        }
        checkRun(buffer, off, len);
        final boolean match = runPredicate == hook.predicate();
        long mask = 0;
        int lanes = 0;
        if (match) {
            final Slab m = buffer.memory();
            final int sBase = buffer.base() + S_OFFSET;
            final int live = m.nonZeroLanes(sBase) & runBits(off, len);
            mask = live >>> off;
            lanes = Integer.bitCount(live);
            int at = out.length();
            if (at + lanes > out.capacity()) {
                throw noRoom(hook, out, at, lanes);
            }
            final long p = hook.predicate();
            final long o = hook.object();
            for (int bits = live; bits != 0; bits &= bits - 1) {
                int lane = Integer.numberOfTrailingZeros(bits);
                out.set(at++, m.getLong(sBase + lane * Long.BYTES), p, o);
            }
            out.length(at);
        }
        write(hook, receipt, runPredicate, off, match, lanes, mask);
        return mask;
    }

    // ------------------------------------------------------------------ spans

    /**
     * Evaluates a boolean op over every run of {@code runs}, whose rows lie in {@code rows}, into
     * {@code out}: run {@code i}'s receipt is, field for field, the one {@link #eval} writes for
     * that run into a receipt whose cycle id is {@code cycleId} (read it through {@code out}, or
     * write it out with {@link SpanReceipts#writeLine} / {@link SpanReceipts#writeTo}). Per run the
     * kernel writes one word (result, lanes, predicate match); the cycle and hook are
     * written once per call, and the span id and hash are derived when they are read.
     *
     * <p>{@code rows} is any slab of {@link io.github.hotpool.core.SoaLayout} rows: a pool's
     * {@link io.github.hotpool.core.BufferPool#soaMemory()} with a table filled by {@link
     * RunTable#addRunsOf}, or a ring's slab. The kernel reads the rows as they are; it does not
     * check pool leases (the table did, when the runs were added).
     *
     * @return the number of runs whose result is 1
     * @throws IllegalArgumentException for CONSTRUCT8 (use {@link #constructSpan})
     * @throws IndexOutOfBoundsException when a run's row lies past the end of {@code rows}, or the
     *     span has more runs than {@code out} holds; nothing is written then
     */
    public static int evalSpan(Hook hook, Slab rows, RunTable runs, SpanReceipts out, long cycleId) {
        if (hook.family == FAMILY_CONSTRUCT) {
            throw needsOutput(hook);
        }
        checkRows(rows, runs);
        out.begin(hook, runs, cycleId); // once per span: cycle, hook; checks the span fits
        // One small loop per op family, each in a method of its own (the family is chosen once
        // per span, not per run; with every family's loop in this one method, C2's compilation of
        // it was measured to leave vector scans out of line, boxing and allocating in steady
        // state: in methods of their own, each loop is compiled apart unless C2 chooses to inline
        // it, which its size makes unlikely, and ZeroAllocationTest would catch). Each loop gives
        // a run whose predicate differs receipt word 0 without reading a lane, and hands a
        // matching run's scans to the part every op shares (decide).
        final long[] w = out.words;
        final int table = hook.table;
        switch (hook.family) {
            case FAMILY_S:
                return spanS(rows, runs, w, hook.predicate(), hook.subject(), table);
            case FAMILY_O_EQ:
                return spanObjectEqual(rows, runs, w, hook.predicate(), hook.object(), table);
            case FAMILY_O_GT:
                return spanObjectAbove(rows, runs, w, hook.predicate(), hook.object(), table, hook.invert);
            case FAMILY_O_LT:
                return spanObjectBelow(rows, runs, w, hook.predicate(), hook.object(), table, hook.invert);
            case FAMILY_SO:
                return spanSubjectAndObject(rows, runs, w, hook.predicate(), hook.subject(), hook.object(), table);
            case FAMILY_S_NOT_O:
                return spanSubjectNotObject(rows, runs, w, hook.predicate(), hook.subject(), hook.object(), table);
            default:
                throw new IllegalStateException("unhandled op family " + hook.family);
        }
    }

    /*
     * The family loops. A run whose predicate differs reads no lane and gets receipt word 0; a
     * matching run's scans give its row's live lanes (bits 0-7 of live) and the op's selected
     * lanes (bits 0-7 of selected; only those that are also live and in the run count), and the
     * part every op shares decides. The row's byte offset comes from the run table as it is
     * (RunTable keeps offsets, not row numbers), so the loop neither multiplies nor re-packs.
     */

    private static int spanS(Slab rows, RunTable runs, long[] words, long hp, long hs, int table) {
        final int n = runs.size();
        int ones = 0;
        for (int i = 0; i < n; i++) {
            if (runs.predicate(i) != hp) {
                words[i] = 0;
                continue;
            }
            final int x = rows.liveAndEqualLanes(runs.rowOffset(i) + S_OFFSET, hs);
            ones += decide(words, i, x, x >>> 8, runs.lanes(i), table);
        }
        return ones;
    }

    private static int spanObjectEqual(Slab rows, RunTable runs, long[] words, long hp, long ho, int table) {
        final int n = runs.size();
        int ones = 0;
        for (int i = 0; i < n; i++) {
            if (runs.predicate(i) != hp) {
                words[i] = 0;
                continue;
            }
            final int rb = runs.rowOffset(i);
            ones += decide(words, i, rows.nonZeroLanes(rb + S_OFFSET), rows.equalLanes(rb + O_OFFSET, ho),
                    runs.lanes(i), table);
        }
        return ones;
    }

    private static int spanObjectAbove(Slab rows, RunTable runs, long[] words, long hp, long ho, int table, int invert) {
        final int n = runs.size();
        int ones = 0;
        for (int i = 0; i < n; i++) {
            if (runs.predicate(i) != hp) {
                words[i] = 0;
                continue;
            }
            final int rb = runs.rowOffset(i);
            ones += decide(words, i, rows.nonZeroLanes(rb + S_OFFSET), rows.aboveLanes(rb + O_OFFSET, ho) ^ invert,
                    runs.lanes(i), table);
        }
        return ones;
    }

    private static int spanObjectBelow(Slab rows, RunTable runs, long[] words, long hp, long ho, int table, int invert) {
        final int n = runs.size();
        int ones = 0;
        for (int i = 0; i < n; i++) {
            if (runs.predicate(i) != hp) {
                words[i] = 0;
                continue;
            }
            final int rb = runs.rowOffset(i);
            ones += decide(words, i, rows.nonZeroLanes(rb + S_OFFSET), rows.belowLanes(rb + O_OFFSET, ho) ^ invert,
                    runs.lanes(i), table);
        }
        return ones;
    }

    private static int spanSubjectAndObject(Slab rows, RunTable runs, long[] words, long hp, long hs, long ho, int table) {
        final int n = runs.size();
        int ones = 0;
        for (int i = 0; i < n; i++) {
            if (runs.predicate(i) != hp) {
                words[i] = 0;
                continue;
            }
            final int x = rows.subjectAndObjectLanes(runs.rowOffset(i), hs, ho);
            ones += decide(words, i, x, x >>> 8, runs.lanes(i), table);
        }
        return ones;
    }

    private static int spanSubjectNotObject(Slab rows, RunTable runs, long[] words, long hp, long hs, long ho, int table) {
        final int n = runs.size();
        int ones = 0;
        for (int i = 0; i < n; i++) {
            if (runs.predicate(i) != hp) {
                words[i] = 0;
                continue;
            }
            final int x = rows.subjectNotObjectLanes(runs.rowOffset(i), hs, ho);
            ones += decide(words, i, x, x >>> 8, runs.lanes(i), table);
        }
        return ones;
    }

    /** SpanReceipts.MATCH as an int: a receipt word's bits all lie below bit 13. */
    private static final int MATCH_BIT = (int) SpanReceipts.MATCH;

    /**
     * The part of a span kernel every op shares, for matching run {@code i}: keeps the run's own
     * lanes of the row's {@code live} ones (bits 0-7), counts the {@code selected} among them,
     * decides through the op's table and packs the receipt word into {@code words[i]}, with no
     * branch.
     *
     * @return the run's result, 0 or 1
     */
    private static int decide(long[] words, int i, int live, int selected, int runLanes, int table) {
        final int lanes = live & runLanes;
        final int result = (table >>> Integer.bitCount(selected & lanes)) & 1;
        // packed as an int, widened once by the store
        words[i] = result | Integer.bitCount(lanes) << SpanReceipts.LANES_SHIFT | MATCH_BIT;
        return result;
    }

    /**
     * CONSTRUCT8 over every run of {@code runs}: row {@code firstOutRow + i} of {@code outRows}
     * gets run {@code i}'s constructed triples (S, hook.predicate, hook.object) in the lanes they
     * come from, and zero (empty lanes) everywhere else; run {@code i}'s receipt goes into {@code
     * out} as in {@link #evalSpan}. The receipt and the lane mask are those {@link #construct8}
     * writes for the run; the triples are the same, in the same lane order, but not moved together
     * (every output row is written whole, with no branch per lane).
     *
     * @return the number of triples constructed
     * @throws IllegalArgumentException when the hook is not CONSTRUCT8, or {@code outRows} is
     *     {@code rows} and the output rows start below {@link RunTable#rowLimit()}
     * @throws IndexOutOfBoundsException when a row lies past the end of its slab, or the span has
     *     more runs than {@code out} holds; nothing is written then
     */
    public static int constructSpan(Hook hook, Slab rows, RunTable runs, Slab outRows, int firstOutRow,
                                    SpanReceipts out, long cycleId) {
        if (hook.family != FAMILY_CONSTRUCT) {
            throw new IllegalArgumentException(hook + " is not CONSTRUCT8");
        }
        final int n = runs.size();
        checkRows(rows, runs);
        if (firstOutRow < 0 || (long) (firstOutRow + n) * BUFFER_LENGTH > outRows.byteSize()) {
            throw new IndexOutOfBoundsException("output rows [" + firstOutRow + ", " + ((long) firstOutRow + n)
                    + ") outside the " + outRows.byteSize() / BUFFER_LENGTH + " rows of " + outRows);
        }
        if (outRows == rows && firstOutRow < runs.rowLimit()) {
            throw new IllegalArgumentException("output rows from " + firstOutRow + " would overwrite input rows below "
                    + runs.rowLimit() + " of the same slab");
        }
        out.begin(hook, runs, cycleId);
        final long[] words = out.words;
        final long hp = hook.predicate();
        final long ho = hook.object();
        int made = 0;
        int ob = firstOutRow * BUFFER_LENGTH;
        for (int i = 0; i < n; i++, ob += BUFFER_LENGTH) {
            final boolean match = runs.predicate(i) == hp;
            final int off = runs.offset(i);
            final int rb = runs.rowOffset(i);
            final int keep = match ? runs.lanes(i) : 0;
            final int live = keep == 0 ? 0 : rows.nonZeroLanes(rb + S_OFFSET) & keep;
            // the whole output row, every lane, with no branch per lane: the triple where live, zeros elsewhere
            outRows.putTriples(ob, rows, rb + S_OFFSET, live, hp, ho);
            final int lanes = Integer.bitCount(live);
            words[i] = (live >>> off) | (long) lanes << SpanReceipts.LANES_SHIFT | (match ? SpanReceipts.MATCH : 0);
            made += lanes;
        }
        return made;
    }

    private static void checkRows(Slab rows, RunTable runs) {
        if ((long) runs.rowLimit() * BUFFER_LENGTH > rows.byteSize()) {
            throw new IndexOutOfBoundsException("run on row " + (runs.rowLimit() - 1) + " outside the "
                    + rows.byteSize() / BUFFER_LENGTH + " rows of " + rows);
        }
    }

    // ------------------------------------------------------------------ lanes

    /**
     * The masks of one run of the row at {@code rb}: live lanes in bits 0-7, the op's selected
     * lanes (a subset of the live ones) in bits 8-15. Takes the hook's fields as values, so that
     * a span kernel loads them once, not once per run.
     */
    static int masks(int family, long s, long o, int invert, Slab m, int rb, int run) {
        final int live;
        final int selected;
        switch (family) {
            case FAMILY_S: {
                final int x = m.liveAndEqualLanes(rb + S_OFFSET, s);
                live = x & run;
                selected = x >>> 8;
                break;
            }
            case FAMILY_O_EQ:
                live = m.nonZeroLanes(rb + S_OFFSET) & run;
                selected = m.equalLanes(rb + O_OFFSET, o);
                break;
            case FAMILY_O_GT:
                live = m.nonZeroLanes(rb + S_OFFSET) & run;
                selected = m.aboveLanes(rb + O_OFFSET, o) ^ invert;
                break;
            case FAMILY_O_LT:
                live = m.nonZeroLanes(rb + S_OFFSET) & run;
                selected = m.belowLanes(rb + O_OFFSET, o) ^ invert;
                break;
            case FAMILY_SO: {
                final int x = m.subjectAndObjectLanes(rb, s, o);
                live = x & run;
                selected = x >>> 8;
                break;
            }
            case FAMILY_S_NOT_O: {
                final int x = m.subjectNotObjectLanes(rb, s, o);
                live = x & run;
                selected = x >>> 8;
                break;
            }
            default:
                throw new IllegalStateException("unhandled op family " + family);
        }
        return live | (selected & live) << 8;
    }

    /** Bits {@code off .. off+len-1}: the run's lanes. */
    static int runBits(int off, int len) {
        return ((1 << len) - 1) << off;
    }

    // ------------------------------------------------------------------ receipts and checks

    private static IllegalArgumentException needsOutput(Hook hook) {
        return new IllegalArgumentException(hook + " writes triples: call construct8 or constructSpan with an output");
    }

    private static IllegalArgumentException noRoom(Hook hook, SoaBuffer out, int at, int lanes) {
        return new IllegalArgumentException("CONSTRUCT8 output needs " + lanes + " lanes but "
                + hook + " found only " + (out.capacity() - at) + " free of capacity " + out.capacity());
    }

    private static void checkRun(SoaBuffer buffer, int off, int len) {
        buffer.checkLeased(); // kernels read the slab directly, past the accessors' own checks
        if (off < 0 || len < 0 || len > MAX_RUN_LEN || off + len > buffer.capacity()) {
            throw badRun(buffer, off, len);
        }
    }

    // failure messages are built out of line so the kernels stay small enough to inline
    private static IndexOutOfBoundsException badRun(SoaBuffer buffer, int off, int len) {
        return new IndexOutOfBoundsException("run [" + off + ", " + (off + len) + ") outside [0, capacity "
                + buffer.capacity() + "] or longer than MAX_RUN_LEN " + MAX_RUN_LEN);
    }

    private static void write(Hook hook, Receipt r, long runPredicate, int off, boolean match, int lanes,
                              long result) {
        int flags = hook.op().ordinal() | (match ? FLAG_PREDICATE_MATCH : 0) | (result != 0 ? FLAG_RESULT : 0);
        // the receipt reads its own cycle id and makes the span id in the access that stores the
        // fields: one lease check and one line check where a cycleId() read and a record() paid two
        r.recordKeyed(hook.id(), lanes, flags, spanKey(hook.id(), runPredicate, off), hook.hash ^ result ^ runPredicate,
                result);
    }

    /** Deterministic span id of one hook evaluation: a SplitMix64 finaliser over its identity. */
    static long spanId(long cycleId, int hookId, long runPredicate, int off) {
        return ReceiptLayout.spanId(cycleId, spanKey(hookId, runPredicate, off));
    }

    /** What names one hook evaluation inside its cycle (see {@link ReceiptLayout#spanId}). */
    static long spanKey(int hookId, long runPredicate, int off) {
        return (long) hookId << 32 ^ off ^ runPredicate;
    }
}
