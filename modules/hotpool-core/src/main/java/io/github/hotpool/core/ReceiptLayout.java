package io.github.hotpool.core;

/**
 * Memory layout of one receipt: exactly one 64-byte cache line in the pool's receipt slab.
 *
 * <pre>
 *   byte  0         8         12        16                 24                 32        36        40                 48                 56                 64
 *         +---------+---------+---------+------------------+------------------+---------+---------+------------------+------------------+------------------+
 *         | cycleId (long)    | shardId | hookId  | ticks (long)     | actualTicks      | lanes   | flags   | spanId (long)    | aHash (long)     | result (long)    |
 *         +-------------------+---------+---------+------------------+------------------+---------+---------+------------------+------------------+------------------+
 *          CYCLE_ID_OFFSET     SHARD_ID  HOOK_ID   TICKS_OFFSET       ACTUAL_TICKS       LANES     FLAGS     SPAN_ID_OFFSET     A_HASH_OFFSET      RESULT_OFFSET
 * </pre>
 *
 * <p>All fields are in native byte order. {@code ticks} is the hook's budgeted cost and
 * {@code actualTicks} the measured one; {@code result} holds the kernel's answer (a boolean as
 * 0/1, a count, or a lane mask). This class is a constants holder; it is thread-safe.
 */
public final class ReceiptLayout {

    /** Offset of the cycle id (long). */
    public static final int CYCLE_ID_OFFSET = 0;
    /** Offset of the shard id (int). */
    public static final int SHARD_ID_OFFSET = 8;
    /** Offset of the hook id (int). */
    public static final int HOOK_ID_OFFSET = 12;
    /** Offset of the budgeted ticks (long). */
    public static final int TICKS_OFFSET = 16;
    /** Offset of the measured ticks (long). */
    public static final int ACTUAL_TICKS_OFFSET = 24;
    /** Offset of the number of lanes evaluated (int). */
    public static final int LANES_OFFSET = 32;
    /** Offset of the flags word (int): op code and status bits, owned by the kernel that wrote the receipt. */
    public static final int FLAGS_OFFSET = 36;
    /** Offset of the span id (long). */
    public static final int SPAN_ID_OFFSET = 40;
    /** Offset of the assertion hash (long). */
    public static final int A_HASH_OFFSET = 48;
    /** Offset of the kernel result (long). */
    public static final int RESULT_OFFSET = 56;

    /** Bytes per receipt: one cache line. */
    public static final int RECEIPT_LENGTH = SoaLayout.CACHE_LINE_LENGTH;

    private ReceiptLayout() {
    }

    /**
     * Byte offset, from the slab start, of receipt {@code index}.
     *
     * @param index receipt index in its pool
     * @return {@code index * RECEIPT_LENGTH}
     */
    public static int receiptOffset(int index) {
        return index * RECEIPT_LENGTH;
    }

    /**
     * The span id of one evaluation: a SplitMix64 finaliser over the cycle id (times the 64-bit
     * golden ratio) and {@code spanKey}, which names the evaluation inside its cycle (the hook
     * kernels use {@code hookId << 32 ^ run offset ^ run predicate}). {@link Receipt#recordKeyed}
     * computes it from the cycle id it reads in the same access as its stores.
     *
     * @param cycleId the receipt's cycle id
     * @param spanKey what names the evaluation inside the cycle
     * @return the span id
     */
    public static long spanId(long cycleId, long spanKey) {
        long z = cycleId * 0x9E3779B97F4A7C15L ^ spanKey;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
