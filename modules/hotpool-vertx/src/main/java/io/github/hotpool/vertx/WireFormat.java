package io.github.hotpool.vertx;

import io.github.hotpool.core.BufferPool;
import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.ReceiptLayout;
import io.github.hotpool.core.SoaBuffer;
import io.github.hotpool.core.SoaLayout;
import io.vertx.core.buffer.Buffer;

/**
 * The wire form of a SoA handle, for a clustered event bus: a value snapshot of the lanes,
 * length, predicate runs and attached receipts. Stateless; thread-safe.
 */
final class WireFormat {

    /*
     * Frame (big-endian, as Vert.x Buffer writes):
     *
     *   0   int    frameLength   bytes after this field; must equal what the counts below imply
     *   4   short  MAGIC 0x4850  "HP"
     *   6   byte   VERSION 1
     *   7   byte   capacity      1..MAX_RUN_LEN
     *   8   byte   length        0..capacity
     *   9   byte   runCount      0..MAX_RUN_LEN
     *  10   short  receiptCount  0..65535, and at most the decoding pool's receiptsPerBuffer
     *  12   length x (s, p, o)                          24 bytes each
     *       runCount x (predicate long, offset, len)    10 bytes each; len >= 1, offset + len <= capacity
     *       receiptCount x 8 longs                      one 64-byte receipt line each
     *
     * decode validates the whole frame before it leases anything, so a bad frame leases nothing.
     */
    static final short MAGIC = 0x4850;
    static final byte VERSION = 1;
    static final int HEADER = 12;
    static final int TRIPLE_BYTES = 24;
    static final int RUN_BYTES = 10;
    static final int RECEIPT_BYTES = ReceiptLayout.RECEIPT_LENGTH;
    private static final int RECEIPT_LONGS = RECEIPT_BYTES / Long.BYTES;

    private WireFormat() {
    }

    static void encode(Buffer out, SoaBuffer b) {
        int length = b.length();
        int runs = b.runCount();
        int receipts = b.receiptCount();
        out.appendInt(HEADER - 4 + length * TRIPLE_BYTES + runs * RUN_BYTES + receipts * RECEIPT_BYTES)
            .appendShort(MAGIC)
            .appendByte(VERSION)
            .appendByte((byte) b.capacity())
            .appendByte((byte) length)
            .appendByte((byte) runs)
            .appendShort((short) receipts);
        for (int i = 0; i < length; i++) {
            out.appendLong(b.subject(i)).appendLong(b.predicate(i)).appendLong(b.object(i));
        }
        for (int r = 0; r < runs; r++) {
            out.appendLong(b.runPredicate(r)).appendByte((byte) b.runOffset(r)).appendByte((byte) b.runLength(r));
        }
        for (int i = 0; i < receipts; i++) {
            Receipt rc = b.receipt(i);
            for (int off = 0; off < RECEIPT_BYTES; off += Long.BYTES) {
                out.appendLong(rc.slab().getLong(rc.base() + off));
            }
        }
    }

    /**
     * Validates the frame at {@code pos} and materialises it in a buffer leased from {@code pool}
     * (owner thread of {@code pool}).
     *
     * @throws HandleDecodeException naming the bad field; nothing is leased then
     */
    static SoaBuffer decode(Buffer in, int pos, BufferPool pool, int receiptsPerBuffer) {
        int receipts = validate(in, pos, receiptsPerBuffer);
        int capacity = in.getByte(pos + 7);
        int length = in.getByte(pos + 8);
        int runs = in.getByte(pos + 9);
        SoaBuffer b = pool.tryAcquire(capacity);
        if (b == null) {
            throw new HandleDecodeException("SoA handle frame at " + pos + ": all " + pool.options().getSoaBuffers()
                + " SoA buffers of pool '" + pool.name() + "' in use");
        }
        try {
            int at = pos + HEADER;
            for (int i = 0; i < length; i++, at += TRIPLE_BYTES) {
                b.set(i, in.getLong(at), in.getLong(at + 8), in.getLong(at + 16));
            }
            b.length(length);
            for (int r = 0; r < runs; r++, at += RUN_BYTES) {
                b.addRun(in.getLong(at), in.getByte(at + 8), in.getByte(at + 9));
            }
            for (int i = 0; i < receipts; i++, at += RECEIPT_BYTES) {
                Receipt rc = pool.tryAcquireReceipt();
                if (rc == null) {
                    throw new HandleDecodeException("SoA handle frame at " + pos + ": receipt " + i + " of " + receipts
                        + " does not fit, all " + pool.options().getReceipts() + " receipts of pool '" + pool.name() + "' in use");
                }
                for (int k = 0; k < RECEIPT_LONGS; k++) {
                    rc.slab().putLong(rc.base() + k * Long.BYTES, in.getLong(at + k * Long.BYTES));
                }
                b.attach(rc);
            }
            return b;
        } catch (RuntimeException e) {
            pool.release(b); // attached receipts go back with it
            throw e;
        }
    }

    /** @return the receipt count, after checking every length and count in the frame */
    static int validate(Buffer in, int pos, int receiptsPerBuffer) {
        int available = in.length() - pos;
        if (pos < 0 || available < HEADER) {
            throw new HandleDecodeException("SoA handle frame at " + pos + ": " + Math.max(available, 0)
                + " bytes available, header needs " + HEADER);
        }
        int frameLength = in.getInt(pos);
        short magic = in.getShort(pos + 4);
        if (magic != MAGIC) {
            throw new HandleDecodeException("SoA handle frame at " + pos + ": magic 0x"
                + Integer.toHexString(magic & 0xffff) + ", expected 0x" + Integer.toHexString(MAGIC));
        }
        byte version = in.getByte(pos + 6);
        if (version != VERSION) {
            throw new HandleDecodeException("SoA handle frame at " + pos + ": version " + version + ", supported " + VERSION);
        }
        int capacity = in.getByte(pos + 7);
        if (capacity < 1 || capacity > SoaLayout.MAX_RUN_LEN) {
            throw new HandleDecodeException("SoA handle frame at " + pos + ": capacity " + capacity
                + " outside [1, MAX_RUN_LEN " + SoaLayout.MAX_RUN_LEN + "]");
        }
        int length = in.getByte(pos + 8);
        if (length < 0 || length > capacity) {
            throw new HandleDecodeException("SoA handle frame at " + pos + ": length " + length
                + " outside [0, capacity " + capacity + "]");
        }
        int runs = in.getByte(pos + 9);
        if (runs < 0 || runs > SoaLayout.MAX_RUN_LEN) {
            throw new HandleDecodeException("SoA handle frame at " + pos + ": runCount " + runs
                + " outside [0, MAX_RUN_LEN " + SoaLayout.MAX_RUN_LEN + "]");
        }
        int receipts = in.getUnsignedShort(pos + 10);
        if (receipts > receiptsPerBuffer) {
            throw new HandleDecodeException("SoA handle frame at " + pos + ": receiptCount " + receipts
                + " exceeds receiptsPerBuffer " + receiptsPerBuffer);
        }
        long expected = (long) HEADER - 4 + (long) length * TRIPLE_BYTES + (long) runs * RUN_BYTES
            + (long) receipts * RECEIPT_BYTES;
        if (frameLength != expected) {
            throw new HandleDecodeException("SoA handle frame at " + pos + ": frameLength " + frameLength
                + " but length " + length + ", runCount " + runs + " and receiptCount " + receipts + " need " + expected);
        }
        if (available - 4 < expected) {
            throw new HandleDecodeException("SoA handle frame at " + pos + ": truncated, " + (available - 4)
                + " bytes after the length field, frameLength " + expected);
        }
        int at = pos + HEADER + length * TRIPLE_BYTES;
        for (int r = 0; r < runs; r++, at += RUN_BYTES) {
            int off = in.getByte(at + 8);
            int len = in.getByte(at + 9);
            if (off < 0 || len < 1 || off + len > capacity) {
                throw new HandleDecodeException("SoA handle frame at " + pos + ": run " + r + " [offset " + off
                    + ", len " + len + "] outside [0, capacity " + capacity + "] or empty");
            }
        }
        return receipts;
    }
}
