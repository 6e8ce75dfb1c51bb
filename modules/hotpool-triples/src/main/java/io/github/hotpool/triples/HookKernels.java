package io.github.hotpool.triples;

import static io.github.hotpool.core.SoaLayout.LANE_BYTES;
import static io.github.hotpool.core.SoaLayout.MAX_RUN_LEN;
import static io.github.hotpool.core.SoaLayout.O_OFFSET;
import static io.github.hotpool.core.SoaLayout.S_OFFSET;

import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.SoaBuffer;
import java.nio.ByteBuffer;

/**
 * The Reflex stage's kernels: evaluate one hook over one predicate run of a pooled SoA buffer
 * and write the outcome into a pooled receipt. Stateless, thread-safe; allocates nothing.
 *
 * <p>Receipt fields written: hookId, lanes (live lanes of the run that the op looked at; 0 when
 * the predicate differs), flags ({@link #FLAG_OP_MASK} op ordinal, {@link #FLAG_PREDICATE_MATCH},
 * {@link #FLAG_RESULT}), spanId, aHash, result. The caller sets cycleId, shardId and ticks; the
 * span id is derived from the receipt's cycle id, so set that first.
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
     */

    private HookKernels() {
    }

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
        final HookOp op = hook.op();
        if (op == HookOp.CONSTRUCT8) {
            throw needsOutput(hook);
        }
        checkRun(buffer, off, len);
        final boolean match = runPredicate == hook.predicate();
        long result = 0;
        int lanes = 0;
        if (match) {
            final ByteBuffer m = buffer.slab();
            final int base = buffer.base();
            // masks over all 8 lanes of the lane's cache line (bit j = lane j): fixed trip counts the
            // JIT unrolls, then the run's bits alone are kept, so padding and other runs never count
            final int sBase = base + S_OFFSET;
            final int oBase = base + O_OFFSET;
            final long hs = hook.subject();
            int live = 0;
            int sEq = 0;
            for (int i = 0; i < MAX_RUN_LEN; i++) { // one pass over the S line
                long sv = m.getLong(sBase + i * LANE_BYTES);
                live |= (sv != 0 ? 1 : 0) << i;
                sEq |= (sv == hs ? 1 : 0) << i;
            }
            live &= runBits(off, len);
            sEq &= live;
            int oEq = 0;
            int cmp = 0;
            if (op.usesObject()) { // one pass over the O line; subject-only ops never touch it
                final long ho = hook.object();
                final long hu = ho ^ Long.MIN_VALUE; // flipping the sign bit orders unsigned as signed
                final int want = compareWant(op);
                for (int i = 0; i < MAX_RUN_LEN; i++) {
                    long ov = m.getLong(oBase + i * LANE_BYTES);
                    long ou = ov ^ Long.MIN_VALUE;
                    oEq |= (ov == ho ? 1 : 0) << i;
                    int order = ou < hu ? 1 : ou == hu ? 2 : 4; // LT, EQ, GT
                    cmp |= ((want & order) != 0 ? 1 : 0) << i;
                }
                oEq &= live;
                cmp &= live;
            }
            lanes = Integer.bitCount(live);
            result = decide(hook, sEq, oEq, cmp);
        }
        write(hook, receipt, runPredicate, off, match, lanes, result);
        return result;
    }

    /** Bits {@code off .. off+len-1}: the run's lanes. */
    private static int runBits(int off, int len) {
        return ((1 << len) - 1) << off;
    }

    private static int nonZeroMask(ByteBuffer m, int laneBase) {
        int mask = 0;
        for (int i = 0; i < MAX_RUN_LEN; i++) {
            mask |= (m.getLong(laneBase + i * LANE_BYTES) != 0 ? 1 : 0) << i;
        }
        return mask;
    }

    private static IllegalArgumentException needsOutput(Hook hook) {
        return new IllegalArgumentException(hook + " writes triples: call construct8 with an output buffer");
    }

    /** Which orders of (lane O, hook O) count for a COMPARE op: bit 1 = less, 2 = equal, 4 = greater. */
    private static int compareWant(HookOp op) {
        switch (op) {
            case COMPARE_O_EQ: return 2;
            case COMPARE_O_GT: return 4;
            case COMPARE_O_LT: return 1;
            case COMPARE_O_GE: return 6;
            case COMPARE_O_LE: return 3;
            default: return 0;
        }
    }

    private static long decide(Hook hook, int sEq, int oEq, int cmp) {
        final long k = hook.k();
        final int sHits = Integer.bitCount(sEq);
        final int oHits = Integer.bitCount(oEq);
        switch (hook.op()) {
            case ASK_SP: return sEq != 0 ? 1 : 0;
            case ASK_SPO:
            case VALIDATE_DATATYPE_SPO: return (sEq & oEq) != 0 ? 1 : 0;
            case ASK_OP: return oEq != 0 ? 1 : 0;
            case COUNT_SP_GE: return Long.compareUnsigned(sHits, k) >= 0 ? 1 : 0;
            case COUNT_SP_LE: return Long.compareUnsigned(sHits, k) <= 0 ? 1 : 0;
            case COUNT_SP_EQ: return sHits == k ? 1 : 0;
            case COUNT_OP_GE: return Long.compareUnsigned(oHits, k) >= 0 ? 1 : 0;
            case COUNT_OP_LE: return Long.compareUnsigned(oHits, k) <= 0 ? 1 : 0;
            case COUNT_OP_EQ: return oHits == k ? 1 : 0;
            case UNIQUE_SP: return sHits == 1 ? 1 : 0;
            case COMPARE_O_EQ:
            case COMPARE_O_GT:
            case COMPARE_O_LT:
            case COMPARE_O_GE:
            case COMPARE_O_LE: return cmp != 0 ? 1 : 0;
            // every value the subject has on the predicate is exactly the hook's typed literal
            case VALIDATE_DATATYPE_SP: return (sEq & ~oEq) == 0 ? 1 : 0;
            default: throw new IllegalStateException("unhandled op " + hook.op());
        }
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
        if (hook.op() != HookOp.CONSTRUCT8) {
            throw new IllegalArgumentException(hook + " is not CONSTRUCT8");
        }
        checkRun(buffer, off, len);
        final boolean match = runPredicate == hook.predicate();
        long mask = 0;
        int lanes = 0;
        if (match) {
            final ByteBuffer m = buffer.slab();
            final int sBase = buffer.base() + S_OFFSET;
            final int live = nonZeroMask(m, sBase) & runBits(off, len);
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
                out.set(at++, m.getLong(sBase + lane * LANE_BYTES), p, o);
            }
            out.length(at);
        }
        write(hook, receipt, runPredicate, off, match, lanes, mask);
        return mask;
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
        long aHash = hook.subject() ^ hook.predicate() ^ hook.object() ^ hook.k() ^ result ^ runPredicate;
        r.record(hook.id(), lanes, flags, spanId(r.cycleId(), hook.id(), runPredicate, off), aHash, result);
    }

    /** Deterministic span id of one hook evaluation: a SplitMix64 finaliser over its identity. */
    static long spanId(long cycleId, int hookId, long runPredicate, int off) {
        long z = cycleId * 0x9E3779B97F4A7C15L ^ ((long) hookId << 32 | off) ^ runPredicate;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
