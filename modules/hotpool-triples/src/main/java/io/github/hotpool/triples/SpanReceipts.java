package io.github.hotpool.triples;

import io.github.hotpool.core.Receipt;
import io.github.hotpool.core.ReceiptLayout;
import io.github.hotpool.core.RunTable;
import io.github.hotpool.core.Slab;

/**
 * The receipts of one span kernel call ({@link HookKernels#evalSpan}, {@link
 * HookKernels#constructSpan}), kept in the form the kernel can write fastest: one 64-bit word per
 * run (its result, its live lanes, whether its predicate matched), plus what is the same for every
 * run of the call (cycle id, hook id, op, the hook's share of the hash), written
 * once per call. The remaining receipt fields are derived when they are read: the flags from the
 * op and the word, the span id and the assertion hash from the run's predicate and offset in the
 * {@link RunTable} the call read. Every accessor answers, field for field, what the single-run
 * kernel ({@link HookKernels#eval}, {@link HookKernels#construct8}) writes for that run into a
 * receipt whose cycle id is the call's; {@link #writeLine} and {@link #writeTo} write that whole
 * receipt into a receipt line or a pooled {@link Receipt}.
 *
 * <p>Because the span ids and hashes come from the run table, the table must still hold the runs
 * when they are read: a {@link RunTable#clear()} after the call makes every per-run accessor throw
 * {@link IllegalStateException} (adding runs does not, it only appends). The next span call on
 * this object replaces its contents.
 *
 * <p>Everything is allocated by the constructor; calls and reads allocate nothing. Not
 * thread-safe: one thread writes and reads it at a time, as with a {@link RunTable}.
 */
public final class SpanReceipts {

    /* the word of one run: result in bits 0-7 (0/1, or CONSTRUCT8's lane mask), lanes in bits 8-11, MATCH */
    static final int LANES_SHIFT = 8;
    /** Word bit: the run's predicate equals the hook's. */
    static final long MATCH = 1L << 12;

    final long[] words;
    private RunTable runs;
    private int epoch;
    private int size;
    private long cycleId;
    private int hookId;
    private int opFlags;
    private long hash;

    /** @param capacity the most runs one call may write, at least 1 */
    public SpanReceipts(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("span receipts capacity " + capacity + " is below 1");
        }
        this.words = new long[capacity];
    }

    /** @return the most runs one call may write */
    public int capacity() {
        return words.length;
    }

    /** @return the number of runs the last call wrote (0 before the first) */
    public int size() {
        return size;
    }

    /** @return the last call's cycle id */
    public long cycleId() {
        return cycleId;
    }

    /** @return the last call's hook id */
    public int hookId() {
        return hookId;
    }

    /** Called once per span by a kernel, before its loop: the fields every run shares. */
    void begin(Hook hook, RunTable table, long cycle) {
        final int n = table.size();
        if (n > words.length) {
            throw new IndexOutOfBoundsException("span of " + n + " runs exceeds the " + words.length
                + " runs of these span receipts");
        }
        this.runs = table;
        this.epoch = table.epoch();
        this.size = n;
        this.cycleId = cycle;
        this.hookId = hook.id();
        this.opFlags = hook.op().ordinal();
        this.hash = hook.hash;
    }

    /** @param i 0..size-1 @return run {@code i}'s result: 0/1, or the lane mask for CONSTRUCT8 */
    public long result(int i) {
        return words[check(i)] & 0xFF;
    }

    /** @param i 0..size-1 @return run {@code i}'s live lanes read (0 when the predicate differs) */
    public int lanes(int i) {
        return (int) (words[check(i)] >>> LANES_SHIFT) & 0xF;
    }

    /** @param i 0..size-1 @return run {@code i}'s flags, as {@link HookKernels} defines them */
    public int flags(int i) {
        final long w = words[check(i)];
        return opFlags | ((w & MATCH) != 0 ? HookKernels.FLAG_PREDICATE_MATCH : 0)
            | ((w & 0xFF) != 0 ? HookKernels.FLAG_RESULT : 0);
    }

    /** @param i 0..size-1 @return run {@code i}'s span id (derived from the run table) */
    public long spanId(int i) {
        check(i);
        return HookKernels.spanId(cycleId, hookId, runs.predicate(i), runs.offset(i));
    }

    /** @param i 0..size-1 @return run {@code i}'s assertion hash (derived from the run table) */
    public long aHash(int i) {
        return hash ^ result(i) ^ runs.predicate(i);
    }

    /**
     * Writes run {@code i}'s receipt into the receipt line at byte {@code line} of {@code
     * receipts}: cycleId, hookId, lanes, flags, spanId, aHash and result; shardId, ticks and
     * actualTicks keep their values.
     *
     * @param line byte offset of a receipt line ({@link ReceiptLayout}), a multiple of 64
     */
    public void writeLine(int i, Slab receipts, int line) {
        receipts.putReceipt(line, cycleId, hookId, lanes(i), flags(i), spanId(i), aHash(i), result(i));
    }

    /**
     * Writes run {@code i}'s receipt into {@code receipt}: its cycle id and the fields the
     * single-run kernel records; shardId and the ticks keep their values.
     *
     * @return the receipt
     */
    public Receipt writeTo(int i, Receipt receipt) {
        return receipt.cycleId(cycleId).record(hookId, lanes(i), flags(i), spanId(i), aHash(i), result(i));
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("run " + i + " outside [0, size " + size + ") of " + this);
        }
        if (runs.epoch() != epoch) {
            throw new IllegalStateException("the run table of this span was cleared after the span call: "
                + "its span ids and hashes can no longer be derived");
        }
        return i;
    }

    @Override
    public String toString() {
        return "SpanReceipts{size=" + size + ", capacity=" + words.length + ", cycle=" + cycleId + ", hook=" + hookId
            + '}';
    }
}
