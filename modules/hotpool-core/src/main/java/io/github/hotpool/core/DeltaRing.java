package io.github.hotpool.core;

import java.nio.ByteBuffer;

import static io.github.hotpool.core.SoaLayout.LANE_BYTES;
import static io.github.hotpool.core.SoaLayout.MAX_RUN_LEN;
import static io.github.hotpool.core.SoaLayout.O_OFFSET;
import static io.github.hotpool.core.SoaLayout.P_OFFSET;
import static io.github.hotpool.core.SoaLayout.S_OFFSET;

/**
 * The delta ring (Δ-ring): a {@link Ring} whose rows each hold up to {@link SoaLayout#MAX_RUN_LEN}
 * triples, laid out exactly like one pool {@link SoaBuffer}, with the predicate-run table and the
 * length beside them. Default: 1024 rows, 8,192 triples, in one 64-byte-aligned slab.
 *
 * <pre>
 *  slab:  row 0 lanes | row 1 lanes | ... | row C-1 lanes | row 0 meta | row 1 meta | ... | row C-1 meta
 *         \___ C x 192 bytes: row i at SoaLayout.bufferOffset(i) ___/ \_____ C x 128 bytes from C x 192 ____/
 *
 *  lanes (3 lines, SoaLayout):   s[0..7] | p[0..7] | o[0..7]
 *  meta  (2 lines):     +0   runPredicate[0..7]  (8 longs)
 *                       +64  runOffset[0..7] (8 bytes) | +72 runLength[0..7] (8 bytes) | +80 length (int) | +84 runCount (int)
 * </pre>
 *
 * <p>A claimed row has zero lanes, length 0 and no runs; the run table's entries past {@code
 * runCount} keep old bytes, which no accessor reaches.
 *
 * <p>The lanes region is the pool's slab layout, so code that reads lanes at {@code (slab, base)}
 * reads ring rows unchanged. Rows are read and written through {@link Row} views: {@code
 * ring.row(stage)} is that stage's view, {@code ring.row(Ring.PRODUCER)} the producer's.
 *
 * <p>Thread-safety: see {@link Ring}; a view belongs to its holder's thread.
 */
public final class DeltaRing extends Ring {

    /** Bytes of one row's lanes: one SoA buffer, three cache lines. */
    public static final int ROW_LENGTH = SoaLayout.BUFFER_LENGTH;
    /** Bytes of one row's meta: the run table and the length, two cache lines. */
    public static final int META_LENGTH = 2 * SoaLayout.CACHE_LINE_LENGTH;

    static final int RUN_PREDICATES = 0;
    static final int RUN_OFFSETS = 64;
    static final int RUN_LENGTHS = RUN_OFFSETS + MAX_RUN_LEN;
    static final int LENGTH = RUN_LENGTHS + MAX_RUN_LEN;
    static final int RUN_COUNT = LENGTH + Integer.BYTES;

    /** [0] the producer's view, [k + 1] stage k's. */
    private final Row[] views;

    /**
     * A ring owned by the calling thread, without a wake-up: the producer uses {@link #tryClaim}.
     *
     * @param options name, capacity, stages; copied and validated
     */
    public DeltaRing(RingOptions options) {
        this(options, Thread.currentThread(), null);
    }

    /**
     * @param options name, capacity, stages; copied and validated
     * @param owner the producer's thread
     * @param onRoom run once per armed wait, on the thread of the terminal stage that frees the room;
     *     must be quick, must not throw and must not allocate if advance is to stay allocation-free
     *     (typically: unpark the owner, or post a pre-allocated task to its event loop); null: no
     *     waiting producer ({@link #tryClaimOrArm} then throws)
     */
    public DeltaRing(RingOptions options, Thread owner, Runnable onRoom) {
        super(options, owner, onRoom);
        this.views = new Row[stageCount() + 1];
        views[0] = new Row(this, PRODUCER);
        for (int k = 0; k < stageCount(); k++) {
            views[k + 1] = new Row(this, k);
        }
    }

    @Override
    String kind() {
        return "delta ring";
    }

    @Override
    long slabBytes(int capacity) {
        return (long) capacity * (ROW_LENGTH + META_LENGTH);
    }

    @Override
    void clearRow(RingLayout layout, int index) {
        RingSlab slab = layout.slab;
        slab.zero(SoaLayout.bufferOffset(index), ROW_LENGTH);
        // length and run count, one long: the run table past runCount is unreachable through a
        // Row (as in a pool SoaBuffer), so its 80 bytes are not cleared
        slab.putLong(metaOffset(layout.capacity, index) + LENGTH, 0L);
    }

    private static int metaOffset(int capacity, int index) {
        return capacity * ROW_LENGTH + index * META_LENGTH;
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
     * A new view for {@code holder}, for a stage served by several instances: a view has a
     * position, so each thread that holds rows of the stage needs a view of its own. Allocates:
     * make it once per instance, not per row.
     *
     * @param holder a stage index, or {@link Ring#PRODUCER}
     * @return a new view of that holder
     */
    public Row newRow(int holder) {
        checkHolder(holder);
        return new Row(this, holder);
    }

    /**
     * @return the off-heap slab new claims go to (the only one of a fixed ring), 64-byte aligned,
     *     native order; an adaptive ring's rows are in the slab of their own layout: use {@link Row#slab()}
     */
    @Override
    public ByteBuffer slab() {
        return currentLayout().slab.buffer();
    }

    /** @param index a row index @return byte offset of its meta lines in {@link #slab()} */
    public int metaOffset(int index) {
        return metaOffset(currentLayout().capacity, index);
    }

    /**
     * A flyweight over one Δ-row, with the accessors of {@link SoaBuffer}: lanes, length, runs.
     * A row always has room for {@link SoaLayout#MAX_RUN_LEN} triples. Not thread-safe: used by
     * its holder's thread only.
     */
    public static final class Row extends RowView {

        private RingSlab slab;
        private int base;
        private int meta;

        Row(DeltaRing ring, int holder) {
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
            RingLayout l = layout;
            slab = l.slab;
            base = SoaLayout.bufferOffset(index);
            meta = metaOffset(l.capacity, index);
            return this;
        }

        /** @return the slab of this row's layout: its lanes are at {@code [base(), base() + 192)} */
        public ByteBuffer slab() {
            return slab.buffer();
        }

        /** @return byte offset of this row's subject lane 0 in {@link #slab()} */
        public int base() {
            return base;
        }

        /** @param lane 0..7 @return subject id of the lane */
        public long subject(int lane) {
            return slab.getLong(cell(S_OFFSET, lane));
        }

        /** @param lane 0..7 @return predicate id of the lane */
        public long predicate(int lane) {
            return slab.getLong(cell(P_OFFSET, lane));
        }

        /** @param lane 0..7 @return object id of the lane */
        public long object(int lane) {
            return slab.getLong(cell(O_OFFSET, lane));
        }

        /** @param lane 0..7 @param id subject id @return this */
        public Row setSubject(int lane, long id) {
            slab.putLong(cell(S_OFFSET, lane), id);
            return this;
        }

        /** @param lane 0..7 @param id predicate id @return this */
        public Row setPredicate(int lane, long id) {
            slab.putLong(cell(P_OFFSET, lane), id);
            return this;
        }

        /** @param lane 0..7 @param id object id @return this */
        public Row setObject(int lane, long id) {
            slab.putLong(cell(O_OFFSET, lane), id);
            return this;
        }

        /**
         * Writes one triple into a lane.
         *
         * @param lane 0..7
         * @param s subject id
         * @param p predicate id
         * @param o object id
         * @return this
         */
        public Row set(int lane, long s, long p, long o) {
            int at = cell(S_OFFSET, lane);
            slab.putLong(at, s);
            slab.putLong(at + P_OFFSET, p);
            slab.putLong(at + O_OFFSET, o);
            return this;
        }

        /** @return how many triples are filled, 0..8 */
        public int length() {
            return slab.getInt(metaAt(LENGTH));
        }

        /** @param length how many triples are filled, 0..8 @return this */
        public Row length(int length) {
            if (length < 0 || length > MAX_RUN_LEN) {
                throw new IndexOutOfBoundsException("length " + length + " outside [0, MAX_RUN_LEN " + MAX_RUN_LEN + "] of "
                    + describeRow());
            }
            slab.putInt(metaAt(LENGTH), length);
            return this;
        }

        /** @return number of predicate runs recorded, 0..8 */
        public int runCount() {
            return slab.getInt(metaAt(RUN_COUNT));
        }

        /** @param run 0..runCount-1 @return the run's predicate id */
        public long runPredicate(int run) {
            return slab.getLong(meta + RUN_PREDICATES + checkRun(run) * LANE_BYTES);
        }

        /** @param run 0..runCount-1 @return the run's first lane */
        public int runOffset(int run) {
            return slab.getByte(meta + RUN_OFFSETS + checkRun(run));
        }

        /** @param run 0..runCount-1 @return the run's number of lanes */
        public int runLength(int run) {
            return slab.getByte(meta + RUN_LENGTHS + checkRun(run));
        }

        /**
         * Records a predicate run over lanes {@code [offset, offset + len)}.
         *
         * @param predicate the run's predicate id
         * @param offset first lane
         * @param len number of lanes, at least 1
         * @return this
         */
        public Row addRun(long predicate, int offset, int len) {
            int count = slab.getInt(metaAt(RUN_COUNT));
            if (count == MAX_RUN_LEN) {
                throw new IndexOutOfBoundsException(describeRow() + " has MAX_RUN_LEN " + MAX_RUN_LEN + " runs already");
            }
            if (offset < 0 || len < 1 || offset + len > MAX_RUN_LEN) {
                throw new IndexOutOfBoundsException("run [" + offset + ", " + (offset + len) + ") outside [0, MAX_RUN_LEN "
                    + MAX_RUN_LEN + "] of " + describeRow());
            }
            slab.putLong(meta + RUN_PREDICATES + count * LANE_BYTES, predicate);
            slab.putByte(meta + RUN_OFFSETS + count, (byte) offset);
            slab.putByte(meta + RUN_LENGTHS + count, (byte) len);
            slab.putInt(meta + RUN_COUNT, count + 1);
            return this;
        }

        /** Forgets every recorded run. @return this */
        public Row clearRuns() {
            slab.putInt(metaAt(RUN_COUNT), 0);
            return this;
        }

        @Override
        public String toString() {
            return seq < 0 ? "row view of " + ring.holderName(holder) + " (not pointed)"
                : describeRow() + "{length=" + length() + ", runs=" + runCount() + (isFailed() ? ", failed" : "") + '}';
        }

        private String describeRow() {
            return "row " + seq + " of " + ring.describe();
        }

        private int cell(int laneOffset, int lane) {
            if (Switches.CHECKS) {
                checkHeld();
                if (lane < 0 || lane >= MAX_RUN_LEN) {
                    throw new IndexOutOfBoundsException("lane " + lane + " outside [0, MAX_RUN_LEN " + MAX_RUN_LEN + ") of "
                        + describeRow());
                }
            }
            return base + laneOffset + lane * LANE_BYTES;
        }

        private int metaAt(int field) {
            if (Switches.CHECKS) {
                checkHeld();
            }
            return meta + field;
        }

        private int checkRun(int run) {
            if (Switches.CHECKS) {
                checkHeld();
            }
            int count = slab.getInt(meta + RUN_COUNT);
            if (run < 0 || run >= count) {
                throw new IndexOutOfBoundsException("run " + run + " outside [0, runCount " + count + ") of " + describeRow());
            }
            return run;
        }
    }
}
