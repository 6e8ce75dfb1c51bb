package io.github.hotpool.triples;

import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.ReceiptLayout;

/**
 * The 64-byte wire form of a receipt that the lockchain hashes: the fields in
 * {@link ReceiptLayout} order and offsets, each big-endian. Stateless, thread-safe.
 *
 * <pre>
 *  0 cycleId (8)  8 shardId (4) 12 hookId (4) 16 ticks (8) 24 actualTicks (8)
 * 32 lanes (4)   36 flags (4)   40 spanId (8) 48 aHash (8) 56 result (8)
 * </pre>
 */
public final class ReceiptRecord {

    /** Bytes per encoded receipt. */
    public static final int LENGTH = 64;

    private ReceiptRecord() {
    }

    /** Writes {@code r} into {@code dst[off, off + 64)}; allocates nothing. */
    public static void encode(Receipt r, byte[] dst, int off) {
        encode(r.cycleId(), r.shardId(), r.hookId(), r.ticks(), r.actualTicks(), r.lanes(), r.flags(), r.spanId(),
            r.aHash(), r.result(), dst, off);
    }

    /** Writes a record from its field values into {@code dst[off, off + 64)}; allocates nothing. */
    public static void encode(long cycleId, int shardId, int hookId, long ticks, long actualTicks, int lanes,
                              int flags, long spanId, long aHash, long result, byte[] dst, int off) {
        putLong(dst, off + ReceiptLayout.CYCLE_ID_OFFSET, cycleId);
        putInt(dst, off + ReceiptLayout.SHARD_ID_OFFSET, shardId);
        putInt(dst, off + ReceiptLayout.HOOK_ID_OFFSET, hookId);
        putLong(dst, off + ReceiptLayout.TICKS_OFFSET, ticks);
        putLong(dst, off + ReceiptLayout.ACTUAL_TICKS_OFFSET, actualTicks);
        putInt(dst, off + ReceiptLayout.LANES_OFFSET, lanes);
        putInt(dst, off + ReceiptLayout.FLAGS_OFFSET, flags);
        putLong(dst, off + ReceiptLayout.SPAN_ID_OFFSET, spanId);
        putLong(dst, off + ReceiptLayout.A_HASH_OFFSET, aHash);
        putLong(dst, off + ReceiptLayout.RESULT_OFFSET, result);
    }

    /** Encodes {@code r} into a new array (cold path). */
    public static byte[] encode(Receipt r) {
        byte[] b = new byte[LENGTH];
        encode(r, b, 0);
        return b;
    }

    static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
