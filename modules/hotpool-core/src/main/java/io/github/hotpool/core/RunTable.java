package io.github.hotpool.core;

import static io.github.hotpool.core.SoaLayout.MAX_RUN_LEN;

/**
 * A fixed-capacity table of predicate runs {@code (row, predicate, offset, length)} over the SoA
 * rows of one slab, filled by whoever owns the rows and read by span kernels, which evaluate a
 * hook over every run in one call.
 *
 * <p>Row {@code r} is the {@link SoaLayout} row at {@code r * SoaLayout.BUFFER_LENGTH} in its
 * slab: for a pool that is SoA buffer {@code r} of {@link BufferPool#soaMemory()} ({@link
 * #addRunsOf(SoaBuffer)} fills the table from a buffer's own runs); for any other slab of rows
 * (a ring, say) the owner adds the runs of its rows with {@link #add}. A run covers lanes
 * {@code [offset, offset + length)} of its row and may be empty. The table only records runs:
 * reading the rows stays the caller's business, so a pool buffer released after its runs were
 * added is not noticed here.
 *
 * <p>Everything is allocated by the constructor; adding, clearing and reading allocate nothing.
 * Thread-safety: not thread-safe; one thread fills and reads a table at a time.
 */
public final class RunTable {

    /*
     * Per run, in three arrays that a span kernel reads at the same index, with no shift or
     * multiply: the predicate; the row's byte offset (row * BUFFER_LENGTH, below 2^31 for the
     * rows add accepts; the row number is derived from it); and the run's shape, offset << 12 |
     * length << 8 | lane bits (bit j set for lane j of the run), so that the lane mask is one
     * load and one byte move.
     */
    private final long[] predicates;
    private final int[] rowOffsets;
    private final int[] shapes;
    private int size;
    private int rowLimit;
    private int epoch;

    /**
     * @param capacity the most runs the table holds, at least 1
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public RunTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("run table capacity " + capacity + " is below 1");
        }
        this.predicates = new long[capacity];
        this.rowOffsets = new int[capacity];
        this.shapes = new int[capacity];
    }

    /** @return the most runs this table holds */
    public int capacity() {
        return predicates.length;
    }

    /** @return the number of runs added since the last {@link #clear()} */
    public int size() {
        return size;
    }

    /**
     * One past the highest row any run refers to: a slab must hold at least this many rows
     * for the table's runs to lie inside it.
     *
     * @return {@code max(row) + 1}, or 0 when the table is empty
     */
    public int rowLimit() {
        return rowLimit;
    }

    /** Forgets every run. @return this */
    public RunTable clear() {
        size = 0;
        rowLimit = 0;
        epoch++;
        return this;
    }

    /**
     * Appends a run.
     *
     * @param row the row's index in its slab, 0 .. 2^23 - 1
     * @param predicate the run's predicate id
     * @param offset the run's first lane, 0..8
     * @param length the run's number of lanes, 0..8 - offset
     * @return this
     * @throws IndexOutOfBoundsException if the table is full, or a value is outside its range
     *     (the message names the value and the limit)
     */
    public RunTable add(int row, long predicate, int offset, int length) {
        if (size == predicates.length) {
            throw new IndexOutOfBoundsException("run table is full: capacity " + predicates.length);
        }
        if (row < 0 || row >= 1 << 23) {
            throw new IndexOutOfBoundsException("row " + row + " outside [0, " + (1 << 23) + ")");
        }
        if (offset < 0 || length < 0 || offset + length > MAX_RUN_LEN) {
            throw new IndexOutOfBoundsException("run [" + offset + ", " + (offset + length) + ") outside [0, MAX_RUN_LEN "
                + MAX_RUN_LEN + "]");
        }
        predicates[size] = predicate;
        rowOffsets[size] = row * SoaLayout.BUFFER_LENGTH;
        shapes[size] = offset << 12 | length << 8 | ((1 << length) - 1) << offset;
        size++;
        if (row >= rowLimit) {
            rowLimit = row + 1;
        }
        return this;
    }

    /**
     * Appends every run of a leased pool buffer, as runs of row {@code buffer.slot()} of its
     * pool's {@link BufferPool#soaMemory()}.
     *
     * @param buffer a leased buffer
     * @return this
     * @throws StaleHandleException if the buffer is not leased
     * @throws IndexOutOfBoundsException if the table has no room for all of them; nothing is added then
     * @throws IllegalArgumentException if the buffer lives in a grown segment of an adaptive pool,
     *     outside {@code soaMemory()} (add its runs with {@link #add} against {@link SoaBuffer#memory()})
     */
    public RunTable addRunsOf(SoaBuffer buffer) {
        buffer.checkLeased();
        if (buffer.memory() != buffer.pool().soaMemory()) {
            throw new IllegalArgumentException(buffer.describe() + " is in a grown segment, not in the pool's soaMemory():"
                + " a run table addresses one slab");
        }
        int n = buffer.runCount();
        if (size + n > predicates.length) {
            throw new IndexOutOfBoundsException("run table of capacity " + predicates.length + " holding " + size
                + " runs has no room for the " + n + " runs of " + buffer.describe());
        }
        for (int r = 0; r < n; r++) {
            add(buffer.slot(), buffer.runPredicate(r), buffer.runOffset(r), buffer.runLength(r));
        }
        return this;
    }

    /**
     * How many times the table has been cleared: runs {@code 0..size()-1} stay as they were for
     * as long as the epoch does not change (adding only appends), so whoever keeps results per run
     * ({@code SpanReceipts} of hotpool-triples) can tell that the runs it derives from are still there.
     *
     * @return the number of {@link #clear()} calls so far
     */
    public int epoch() {
        return epoch;
    }

    /** @param i 0..size-1 @return the row of run {@code i} */
    public int row(int i) {
        return rowOffset(i) / SoaLayout.BUFFER_LENGTH;
    }

    /**
     * @param i 0..size-1
     * @return the byte offset of run {@code i}'s row in its slab, {@code row(i) *
     *     SoaLayout.BUFFER_LENGTH}: where its S line starts
     */
    public int rowOffset(int i) {
        return rowOffsets[i];
    }

    /** @param i 0..size-1 @return the predicate id of run {@code i} */
    public long predicate(int i) {
        return predicates[i];
    }

    /** @param i 0..size-1 @return the first lane of run {@code i} */
    public int offset(int i) {
        return shapes[i] >>> 12 & 0xF;
    }

    /** @param i 0..size-1 @return the number of lanes of run {@code i} */
    public int length(int i) {
        return shapes[i] >>> 8 & 0xF;
    }

    /**
     * @param i 0..size-1
     * @return the lanes of run {@code i} as a mask: bits {@code offset(i) .. offset(i) +
     *     length(i) - 1} set (bit j = lane j of the row), 0 for an empty run
     */
    public int lanes(int i) {
        return shapes[i] & 0xFF;
    }

    @Override
    public String toString() {
        return "RunTable{size=" + size + ", capacity=" + predicates.length + ", rowLimit=" + rowLimit + '}';
    }
}
