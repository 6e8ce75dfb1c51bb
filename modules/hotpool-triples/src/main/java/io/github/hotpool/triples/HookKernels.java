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
        if (hook.op() == HookOp.CONSTRUCT8) {
            throw new IllegalArgumentException(hook + " writes triples: call construct8 with an output buffer");
        }
        checkRun(buffer, off, len);
        final boolean match = runPredicate == hook.predicate();
        long result = 0;
        int lanes = 0;
        if (match) {
            final ByteBuffer m = buffer.slab();
            final int sBase = buffer.base() + S_OFFSET + off * LANE_BYTES;
            final int oBase = buffer.base() + O_OFFSET + off * LANE_BYTES;
            final long hs = hook.subject();
            final long ho = hook.object();
            // one pass builds lane masks (bit i = lane off+i); the op then only counts bits
            int live = 0;
            int sEq = 0;
            int oEq = 0;
            for (int i = 0; i < len; i++) {
                long s = m.getLong(sBase + i * LANE_BYTES);
                int bit = 1 << i;
                live |= s != 0 ? bit : 0;
                sEq |= s == hs ? bit : 0;
            }
            if (hook.op().usesObject()) { // loop-invariant: subject-only ops never touch the O lane
                for (int i = 0; i < len; i++) {
                    oEq |= m.getLong(oBase + i * LANE_BYTES) == ho ? 1 << i : 0;
                }
            }
            sEq &= live;
            oEq &= live;
            lanes = Integer.bitCount(live);
            int cmp = isCompare(hook.op()) ? compareMask(hook.op(), m, oBase, len, ho) & live : 0;
            result = decide(hook, sEq, oEq, cmp);
        }
        write(hook, receipt, runPredicate, off, match, lanes, result);
        return result;
    }

    private static boolean isCompare(HookOp op) {
        return op.ordinal() >= HookOp.COMPARE_O_EQ.ordinal() && op.ordinal() <= HookOp.COMPARE_O_LE.ordinal();
    }

    /** Lanes whose object compares true against {@code ho}, unsigned (flipping the sign bit orders unsigned as signed). */
    private static int compareMask(HookOp op, ByteBuffer m, int oBase, int len, long ho) {
        final long h = ho ^ Long.MIN_VALUE;
        int mask = 0;
        for (int i = 0; i < len; i++) {
            long o = m.getLong(oBase + i * LANE_BYTES) ^ Long.MIN_VALUE;
            boolean hit;
            switch (op) {
                case COMPARE_O_EQ: hit = o == h; break;
                case COMPARE_O_GT: hit = o > h; break;
                case COMPARE_O_LT: hit = o < h; break;
                case COMPARE_O_GE: hit = o >= h; break;
                default: hit = o <= h; break;
            }
            mask |= hit ? 1 << i : 0;
        }
        return mask;
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
            final int sBase = buffer.base() + S_OFFSET + off * LANE_BYTES;
            for (int i = 0; i < len; i++) {
                long live = m.getLong(sBase + i * LANE_BYTES) != 0 ? 1L : 0L;
                mask |= live << i;
            }
            lanes = Long.bitCount(mask);
            int at = out.length();
            if (at + lanes > out.capacity()) {
                throw new IllegalArgumentException("CONSTRUCT8 output needs " + lanes + " lanes but "
                        + hook + " found only " + (out.capacity() - at) + " free of capacity " + out.capacity());
            }
            final long p = hook.predicate();
            final long o = hook.object();
            for (long bits = mask; bits != 0; bits &= bits - 1) {
                int i = Long.numberOfTrailingZeros(bits);
                out.set(at++, m.getLong(sBase + i * LANE_BYTES), p, o);
            }
            out.length(at);
        }
        write(hook, receipt, runPredicate, off, match, lanes, mask);
        return mask;
    }

    private static void checkRun(SoaBuffer buffer, int off, int len) {
        buffer.checkLeased(); // kernels read the slab directly, past the accessors' own checks
        if (off < 0 || len < 0 || len > MAX_RUN_LEN || off + len > buffer.capacity()) {
            throw new IndexOutOfBoundsException("run [" + off + ", " + (off + len) + ") outside [0, capacity "
                    + buffer.capacity() + "] or longer than MAX_RUN_LEN " + MAX_RUN_LEN);
        }
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
