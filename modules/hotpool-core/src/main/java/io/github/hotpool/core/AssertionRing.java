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
 * The assertion ring (A-ring): a {@link Ring} whose rows are receipts, one 64-byte cache line
 * each, laid out exactly like a pool {@link Receipt} ({@link ReceiptLayout}): row {@code i} at
 * {@code ReceiptLayout.receiptOffset(i)}. The stage that evaluates hooks is its producer: one
 * receipt row per hook per run. Default: 1024 rows.
 *
 * <pre>
 *  slab:  | receipt row 0 | receipt row 1 | ... | receipt row C-1 |     each one line:
 *         0 cycleId:8 | 8 shardId:4 | 12 hookId:4 | 16 ticks:8 | 24 actualTicks:8 | 32 lanes:4 | 36 flags:4 |
 *         40 spanId:8 | 48 aHash:8 | 56 result:8 | 64
 * </pre>
 *
 * <p>Thread-safety: see {@link Ring}; a view belongs to its holder's thread.
 */
public final class AssertionRing extends Ring {

    /** [0] the producer's view, [k + 1] stage k's. */
    private final Row[] views;

    /**
     * A ring owned by the calling thread, without a wake-up: the producer uses {@link #tryClaim}.
     *
     * @param options name, capacity, stages; copied and validated
     */
    public AssertionRing(RingOptions options) {
        this(options, Thread.currentThread(), null);
    }

    /**
     * @param options name, capacity, stages; copied and validated
     * @param owner the producer's thread
     * @param onRoom run once per armed wait, on the thread of the terminal stage that frees the
     *     room; see {@link DeltaRing#DeltaRing(RingOptions, Thread, Runnable)}; null: no waiting producer
     */
    public AssertionRing(RingOptions options, Thread owner, Runnable onRoom) {
        super(options, owner, onRoom);
        this.views = new Row[stageCount() + 1];
        views[0] = new Row(this, PRODUCER);
        for (int k = 0; k < stageCount(); k++) {
            views[k + 1] = new Row(this, k);
        }
    }

    @Override
    String kind() {
        return "assertion ring";
    }

    @Override
    long slabBytes(int capacity) {
        return (long) capacity * RECEIPT_LENGTH;
    }

    @Override
    void clearRow(RingLayout layout, int index) {
        layout.slab.zero(ReceiptLayout.receiptOffset(index), RECEIPT_LENGTH);
    }

    /**
     * The holder's reusable view; point it with {@link Row#at(long)}. Allocation-free.
     *
     * @param holder a stage index, or {@link Ring#PRODUCER}
     * @return the one view of that holder
     */
    public Row row(int holder) {
        checkHolder(holder);
        return views[holder + 1];
    }

    /**
     * @return the off-heap slab new claims go to (the only one of a fixed ring); an adaptive ring's
     *     rows are in the slab of their own layout: use {@link Row#slab()}
     */
    @Override
    public ByteBuffer slab() {
        return currentLayout().slab.buffer();
    }

    /**
     * A flyweight over one receipt row, with the accessors of {@link Receipt}. Not thread-safe:
     * used by its holder's thread only.
     */
    public static final class Row extends RowView {

        private RingSlab slab;
        private int base;

        Row(AssertionRing ring, int holder) {
            super(ring, holder);
            this.slab = layout.slab;
        }

        /**
         * Points this view at row {@code seq}, which its holder must hold.
         *
         * @param seq a sequence the holder holds
         * @return this
         */
        public Row at(long seq) {
            point(seq);
            slab = layout.slab;
            base = ReceiptLayout.receiptOffset(index);
            return this;
        }

        /** @return the slab of this row's layout: this receipt is at {@code [base(), base() + 64)} */
        public ByteBuffer slab() {
            return slab.buffer();
        }

        /** @return byte offset of this receipt in {@link #slab()} */
        public int base() {
            return base;
        }

        /** @return cycle id */
        public long cycleId() {
            return slab.getLong(at(CYCLE_ID_OFFSET));
        }

        /** @param v cycle id @return this */
        public Row cycleId(long v) {
            slab.putLong(at(CYCLE_ID_OFFSET), v);
            return this;
        }

        /** @return shard id */
        public int shardId() {
            return slab.getInt(at(SHARD_ID_OFFSET));
        }

        /** @param v shard id @return this */
        public Row shardId(int v) {
            slab.putInt(at(SHARD_ID_OFFSET), v);
            return this;
        }

        /** @return hook id */
        public int hookId() {
            return slab.getInt(at(HOOK_ID_OFFSET));
        }

        /** @param v hook id @return this */
        public Row hookId(int v) {
            slab.putInt(at(HOOK_ID_OFFSET), v);
            return this;
        }

        /** @return budgeted ticks */
        public long ticks() {
            return slab.getLong(at(TICKS_OFFSET));
        }

        /** @param v budgeted ticks @return this */
        public Row ticks(long v) {
            slab.putLong(at(TICKS_OFFSET), v);
            return this;
        }

        /** @return measured ticks */
        public long actualTicks() {
            return slab.getLong(at(ACTUAL_TICKS_OFFSET));
        }

        /** @param v measured ticks @return this */
        public Row actualTicks(long v) {
            slab.putLong(at(ACTUAL_TICKS_OFFSET), v);
            return this;
        }

        /** @return lanes evaluated */
        public int lanes() {
            return slab.getInt(at(LANES_OFFSET));
        }

        /** @param v lanes evaluated @return this */
        public Row lanes(int v) {
            slab.putInt(at(LANES_OFFSET), v);
            return this;
        }

        /** @return flags word */
        public int flags() {
            return slab.getInt(at(FLAGS_OFFSET));
        }

        /** @param v flags word @return this */
        public Row flags(int v) {
            slab.putInt(at(FLAGS_OFFSET), v);
            return this;
        }

        /** @return span id */
        public long spanId() {
            return slab.getLong(at(SPAN_ID_OFFSET));
        }

        /** @param v span id @return this */
        public Row spanId(long v) {
            slab.putLong(at(SPAN_ID_OFFSET), v);
            return this;
        }

        /** @return assertion hash */
        public long aHash() {
            return slab.getLong(at(A_HASH_OFFSET));
        }

        /** @param v assertion hash @return this */
        public Row aHash(long v) {
            slab.putLong(at(A_HASH_OFFSET), v);
            return this;
        }

        /** @return kernel result */
        public long result() {
            return slab.getLong(at(RESULT_OFFSET));
        }

        /** @param v kernel result @return this */
        public Row result(long v) {
            slab.putLong(at(RESULT_OFFSET), v);
            return this;
        }

        /**
         * Writes the fields a kernel produces in one call (one check instead of six), like
         * {@link Receipt#record}.
         *
         * @param hookId hook id
         * @param lanes lanes evaluated
         * @param flags flags word
         * @param spanId span id
         * @param aHash assertion hash
         * @param result kernel result
         * @return this
         */
        public Row record(int hookId, int lanes, int flags, long spanId, long aHash, long result) {
            int b = at(0);
            slab.putInt(b + HOOK_ID_OFFSET, hookId);
            slab.putInt(b + LANES_OFFSET, lanes);
            slab.putInt(b + FLAGS_OFFSET, flags);
            slab.putLong(b + SPAN_ID_OFFSET, spanId);
            slab.putLong(b + A_HASH_OFFSET, aHash);
            slab.putLong(b + RESULT_OFFSET, result);
            return this;
        }

        /**
         * Copies every field into a pool receipt (for code that still works on {@link Receipt}s).
         *
         * @param target a leased receipt
         * @return this
         */
        public Row copyTo(Receipt target) {
            target.cycleId(cycleId()).shardId(shardId()).ticks(ticks()).actualTicks(actualTicks())
                .record(hookId(), lanes(), flags(), spanId(), aHash(), result());
            return this;
        }

        @Override
        public String toString() {
            return seq < 0 ? "row view of " + ring.holderName(holder) + " (not pointed)"
                : "row " + seq + " of " + ring.describe() + "{cycle=" + cycleId() + ", hook=" + hookId() + ", lanes="
                    + lanes() + (isFailed() ? ", failed" : "") + '}';
        }

        private int at(int field) {
            if (Switches.CHECKS) {
                checkHeld();
            }
            return base + field;
        }
    }
}
