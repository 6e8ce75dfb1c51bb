package io.github.hotpool.core;

import java.nio.ByteBuffer;

import static io.github.hotpool.core.ReceiptLayout.ACTUAL_TICKS_OFFSET;
import static io.github.hotpool.core.ReceiptLayout.A_HASH_OFFSET;
import static io.github.hotpool.core.ReceiptLayout.CYCLE_ID_OFFSET;
import static io.github.hotpool.core.ReceiptLayout.FLAGS_OFFSET;
import static io.github.hotpool.core.ReceiptLayout.HOOK_ID_OFFSET;
import static io.github.hotpool.core.ReceiptLayout.LANES_OFFSET;
import static io.github.hotpool.core.ReceiptLayout.RECEIPT_LENGTH;
import static io.github.hotpool.core.ReceiptLayout.RESULT_OFFSET;
import static io.github.hotpool.core.ReceiptLayout.SHARD_ID_OFFSET;
import static io.github.hotpool.core.ReceiptLayout.SPAN_ID_OFFSET;
import static io.github.hotpool.core.ReceiptLayout.TICKS_OFFSET;

/**
 * A receipt: one 64-byte line of its pool's receipt slab recording what a hook did to one run
 * (see {@link ReceiptLayout}).
 *
 * <p>One {@code Receipt} object exists per receipt line, created with the pool. It is leased in
 * one of two ways: <em>run-scoped</em> ({@link BufferPool#receipt()}, the original API: every
 * run-scoped receipt goes back at {@link BufferPool#resetReceipts()}) or <em>held</em> ({@link
 * BufferPool#acquireReceipt()}: survives resets and goes back on {@link #close()} or with the
 * {@link SoaBuffer} it is {@linkplain SoaBuffer#attach(Receipt) attached} to).
 *
 * <p>Thread-safety: not thread-safe; one thread at a time, hand-offs must happen-before access.
 * A held receipt may be closed on any thread.
 */
public final class Receipt implements AutoCloseable {

    static final byte FREE = 0;
    static final byte RUN = 1;
    static final byte HELD = 2;

    private final BufferPool pool;
    private final int index;
    private final Slab slab;
    private final int base;

    int generation;
    byte mode;
    boolean attached;

    Receipt(BufferPool pool, int index, Slab slab) {
        this.pool = pool;
        this.index = index;
        this.slab = slab;
        this.base = ReceiptLayout.receiptOffset(index);
    }

    void open(int gen, byte leaseMode) {
        slab.zero(base, RECEIPT_LENGTH);
        this.generation = gen;
        this.attached = false;
        this.mode = leaseMode;
    }

    /** @return the pool this receipt belongs to */
    public BufferPool pool() {
        return pool;
    }

    /** @return this receipt's line index in its pool */
    public int index() {
        return index;
    }

    /** @return the current lease's generation */
    public int generation() {
        return generation;
    }

    /** @return true while leased as a held receipt */
    public boolean isHeld() {
        return mode == HELD;
    }

    /** @return true when not leased */
    public boolean isReleased() {
        return mode == FREE;
    }

    /** @return the pool's aligned receipt slab; this receipt occupies {@code [base(), base() + 64)} */
    public ByteBuffer slab() {
        return slab.buffer();
    }

    /** @return byte offset of this receipt's line in {@link #slab()} and {@link BufferPool#receiptMemory()} */
    public int base() {
        return base;
    }

    /** @return cycle id */
    public long cycleId() {
        return slab.getLong(at(CYCLE_ID_OFFSET));
    }

    /** @param v cycle id @return this */
    public Receipt cycleId(long v) {
        slab.putLong(at(CYCLE_ID_OFFSET), v);
        return this;
    }

    /** @return shard id */
    public int shardId() {
        return slab.getInt(at(SHARD_ID_OFFSET));
    }

    /** @param v shard id @return this */
    public Receipt shardId(int v) {
        slab.putInt(at(SHARD_ID_OFFSET), v);
        return this;
    }

    /** @return hook id */
    public int hookId() {
        return slab.getInt(at(HOOK_ID_OFFSET));
    }

    /** @param v hook id @return this */
    public Receipt hookId(int v) {
        slab.putInt(at(HOOK_ID_OFFSET), v);
        return this;
    }

    /** @return budgeted ticks */
    public long ticks() {
        return slab.getLong(at(TICKS_OFFSET));
    }

    /** @param v budgeted ticks @return this */
    public Receipt ticks(long v) {
        slab.putLong(at(TICKS_OFFSET), v);
        return this;
    }

    /** @return measured ticks */
    public long actualTicks() {
        return slab.getLong(at(ACTUAL_TICKS_OFFSET));
    }

    /** @param v measured ticks @return this */
    public Receipt actualTicks(long v) {
        slab.putLong(at(ACTUAL_TICKS_OFFSET), v);
        return this;
    }

    /** @return lanes evaluated */
    public int lanes() {
        return slab.getInt(at(LANES_OFFSET));
    }

    /** @param v lanes evaluated @return this */
    public Receipt lanes(int v) {
        slab.putInt(at(LANES_OFFSET), v);
        return this;
    }

    /** @return flags word */
    public int flags() {
        return slab.getInt(at(FLAGS_OFFSET));
    }

    /** @param v flags word @return this */
    public Receipt flags(int v) {
        slab.putInt(at(FLAGS_OFFSET), v);
        return this;
    }

    /** @return span id */
    public long spanId() {
        return slab.getLong(at(SPAN_ID_OFFSET));
    }

    /** @param v span id @return this */
    public Receipt spanId(long v) {
        slab.putLong(at(SPAN_ID_OFFSET), v);
        return this;
    }

    /** @return assertion hash */
    public long aHash() {
        return slab.getLong(at(A_HASH_OFFSET));
    }

    /** @param v assertion hash @return this */
    public Receipt aHash(long v) {
        slab.putLong(at(A_HASH_OFFSET), v);
        return this;
    }

    /** @return kernel result */
    public long result() {
        return slab.getLong(at(RESULT_OFFSET));
    }

    /** @param v kernel result @return this */
    public Receipt result(long v) {
        slab.putLong(at(RESULT_OFFSET), v);
        return this;
    }

    /**
     * Writes the fields a kernel produces in one call (one lease check instead of six).
     *
     * @param hookId hook id
     * @param lanes lanes evaluated
     * @param flags flags word
     * @param spanId span id
     * @param aHash assertion hash
     * @param result kernel result
     * @return this
     */
    public Receipt record(int hookId, int lanes, int flags, long spanId, long aHash, long result) {
        slab.putKernelFields(at(0), hookId, lanes, flags, spanId, aHash, result);
        return this;
    }

    /**
     * {@link #record} with the span id computed here, as {@link ReceiptLayout#spanId(long, long)
     * ReceiptLayout.spanId(cycleId(), spanKey)}: the cycle id is read in the same checked access
     * of the receipt line as the stores, so a kernel pays one lease check and one bounds check for
     * the read and the writes together (a separate {@link #cycleId()} and {@link #record} pay two
     * of each). The single-run hook kernels write their receipts this way.
     *
     * @param hookId hook id
     * @param lanes lanes evaluated
     * @param flags flags word
     * @param spanKey what names the evaluation inside its cycle (see {@link ReceiptLayout#spanId})
     * @param aHash assertion hash
     * @param result kernel result
     * @return this
     */
    public Receipt recordKeyed(int hookId, int lanes, int flags, long spanKey, long aHash, long result) {
        slab.putKernelFieldsKeyed(at(0), hookId, lanes, flags, spanKey, aHash, result);
        return this;
    }

    /** Zeroes every field. @return this */
    public Receipt clear() {
        for (int off = 0; off < RECEIPT_LENGTH; off += Long.BYTES) {
            slab.putLong(at(off), 0L);
        }
        return this;
    }

    /**
     * Merges {@code other} into this receipt (the ⊕ of the original design): keeps this
     * receipt's cycle, shard and hook ids, flags and result; takes the maximum of ticks and of
     * actual ticks; sums lanes; XORs span ids and assertion hashes. The operation is associative
     * and, apart from the ids kept from the left operand, commutative.
     *
     * @param other receipt to fold in, unchanged
     * @return this
     */
    public Receipt mergeFrom(Receipt other) {
        ticks(Math.max(ticks(), other.ticks()));
        actualTicks(Math.max(actualTicks(), other.actualTicks()));
        lanes(lanes() + other.lanes());
        spanId(spanId() ^ other.spanId());
        aHash(aHash() ^ other.aHash());
        return this;
    }

    /**
     * Copies every field of {@code other} into this receipt.
     *
     * @param other source receipt
     * @return this
     */
    public Receipt copyFrom(Receipt other) {
        for (int off = 0; off < RECEIPT_LENGTH; off += Long.BYTES) {
            slab.putLong(at(off), other.slab.getLong(other.at(off)));
        }
        return this;
    }

    /**
     * Gives a held receipt back to its pool, from any thread.
     *
     * @throws IllegalStateException if the receipt is run-scoped ({@link BufferPool#resetReceipts()}
     *     returns those) or attached to a buffer (it goes back with the buffer)
     * @throws DoubleReleaseException if it was given back already
     */
    @Override
    public void close() {
        pool.releaseReceipt(this, generation);
    }

    /**
     * Gives lease {@code generation} of a held receipt back, from any thread: what a holder that may
     * outlive its lease (a timeout, a retry) calls with the {@link #generation()} it read when it
     * took the receipt, so that a late release never ends a later lease of the same receipt, as
     * {@link #close()} (which releases the handle's current lease) would.
     *
     * @param generation the generation remembered when the receipt was taken
     * @throws IllegalStateException if that lease is run-scoped or attached to a buffer
     * @throws DoubleReleaseException if that lease was given back already
     * @throws StaleHandleException if the receipt has moved on to a later lease
     */
    public void release(int generation) {
        pool.releaseReceipt(this, generation);
    }

    @Override
    public String toString() {
        return describe() + (mode == FREE ? "{released}"
            : "{cycle=" + cycleId() + ", hook=" + hookId() + ", lanes=" + lanes() + ", aHash=" + Long.toHexString(aHash()) + '}');
    }

    String describe() {
        return "receipt " + index + " of pool '" + pool.name() + "'";
    }

    void checkHeld() {
        if (mode != HELD) {
            throw new IllegalStateException(describe() + " is " + (mode == RUN ? "run-scoped" : "not leased")
                + ": only held receipts (acquireReceipt) can be attached to a buffer");
        }
        if (attached) {
            throw new IllegalStateException(describe() + " is attached to a buffer already");
        }
    }

    private int at(int fieldOffset) {
        if (Switches.CHECKS && mode == FREE) {
            throw new StaleHandleException(describe() + " used after release");
        }
        return base + fieldOffset;
    }
}
