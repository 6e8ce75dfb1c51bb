package io.github.hotpool.core;

import java.nio.ByteBuffer;

import static io.github.hotpool.core.SoaLayout.LANE_BYTES;
import static io.github.hotpool.core.SoaLayout.MAX_RUN_LEN;
import static io.github.hotpool.core.SoaLayout.O_OFFSET;
import static io.github.hotpool.core.SoaLayout.P_OFFSET;
import static io.github.hotpool.core.SoaLayout.S_OFFSET;

/**
 * A leased structure-of-arrays buffer: up to {@link SoaLayout#MAX_RUN_LEN} triples of 64-bit ids
 * in three cache-line lanes of its pool's aligned slab, plus the predicate runs a loader found in
 * them and the receipts the batch carries.
 *
 * <p>One {@code SoaBuffer} object exists per pool slot, created with the pool; {@link
 * BufferPool#acquire(int)} hands it out zeroed and {@link #close()} (or {@link
 * BufferPool#release(SoaBuffer)}) gives it back. Because the object is reused, a holder that may
 * outlive its lease should remember {@link #generation()} and release with {@link
 * BufferPool#release(SoaBuffer, int)} or check it with {@link #checkGeneration(int)}.
 *
 * <p>Thread-safety: not thread-safe. Exactly one thread works on a lease at a time; handing the
 * buffer to another thread (for example over the event bus) must happen-before that thread's
 * first access. Release may happen on any thread.
 */
public final class SoaBuffer implements AutoCloseable {

    private final BufferPool pool;
    private final int slot;
    /* the segment's slab; rebound by the owner while the slot is out of the pool (adaptive capacity) */
    private Slab slab;
    private final int base;
    private final long[] runPredicates = new long[MAX_RUN_LEN];
    private final byte[] runOffsets = new byte[MAX_RUN_LEN];
    private final byte[] runLengths = new byte[MAX_RUN_LEN];
    private final Receipt[] receipts;

    int generation;
    boolean leased;
    private int capacity;
    private int length;
    private int runCount;
    private int receiptCount;

    /** @param row the buffer's row in {@code slab}: its slot in a fixed pool, its place in its segment otherwise */
    SoaBuffer(BufferPool pool, int slot, Slab slab, int row, int receiptsPerBuffer) {
        this.pool = pool;
        this.slot = slot;
        this.slab = slab;
        this.base = SoaLayout.bufferOffset(row);
        this.receipts = new Receipt[receiptsPerBuffer];
    }

    /**
     * Owner, while the slot is retired or being grown again (never leased, not on the free
     * stack): points the handle at its segment's new slab, or at an empty one on retirement so
     * that the old slab becomes unreachable.
     */
    void rebind(Slab segment) {
        this.slab = segment;
    }

    /** Owner, at acquire: starts lease {@code gen} with everything zeroed. */
    void open(int gen, int size) {
        slab.zero(base, SoaLayout.BUFFER_LENGTH);
        this.generation = gen;
        this.capacity = size;
        this.length = 0;
        this.runCount = 0;
        this.receiptCount = 0;
        this.leased = true;
    }

    /** At release, after the lease CAS: hands attached receipts back and forgets them. */
    void endLease(boolean onOwner) {
        leased = false;
        for (int i = 0; i < receiptCount; i++) {
            Receipt r = receipts[i];
            receipts[i] = null;
            pool.releaseAttachedReceipt(r, onOwner);
        }
        receiptCount = 0;
    }

    /** @return the pool this buffer belongs to */
    public BufferPool pool() {
        return pool;
    }

    /** @return this buffer's slot index in its pool */
    public int slot() {
        return slot;
    }

    /** @return the current lease's generation; it changes on every release */
    public int generation() {
        return generation;
    }

    /** @return true when this handle is not leased (released, or never acquired) */
    public boolean isReleased() {
        return !leased;
    }

    /**
     * Checks that this handle is still the lease of generation {@code expected}.
     *
     * @param expected generation remembered at acquire
     * @throws StaleHandleException if the lease ended or a later lease holds the slot
     */
    public void checkGeneration(int expected) {
        if (!leased || generation != expected) {
            throw new StaleHandleException(describe() + " is no longer lease generation " + expected
                + (leased ? " (now generation " + generation + ")" : " (released)"));
        }
    }

    /** @return how many triples this lease was acquired for, 1..MAX_RUN_LEN */
    public int capacity() {
        return capacity;
    }

    /** @return how many triples are filled, 0..capacity */
    public int length() {
        return length;
    }

    /**
     * @param length how many triples are filled, 0..capacity
     * @return this
     */
    public SoaBuffer length(int length) {
        checkLeased();
        if (length < 0 || length > capacity) {
            throw new IndexOutOfBoundsException("length " + length + " outside [0, capacity " + capacity + "] of " + describe());
        }
        this.length = length;
        return this;
    }

    /** @param lane 0..capacity-1 @return subject id of the lane */
    public long subject(int lane) {
        return slab.getLong(cell(S_OFFSET, lane));
    }

    /** @param lane 0..capacity-1 @return predicate id of the lane */
    public long predicate(int lane) {
        return slab.getLong(cell(P_OFFSET, lane));
    }

    /** @param lane 0..capacity-1 @return object id of the lane */
    public long object(int lane) {
        return slab.getLong(cell(O_OFFSET, lane));
    }

    /** @param lane 0..capacity-1 @param id subject id @return this */
    public SoaBuffer setSubject(int lane, long id) {
        slab.putLong(cell(S_OFFSET, lane), id);
        return this;
    }

    /** @param lane 0..capacity-1 @param id predicate id @return this */
    public SoaBuffer setPredicate(int lane, long id) {
        slab.putLong(cell(P_OFFSET, lane), id);
        return this;
    }

    /** @param lane 0..capacity-1 @param id object id @return this */
    public SoaBuffer setObject(int lane, long id) {
        slab.putLong(cell(O_OFFSET, lane), id);
        return this;
    }

    /**
     * Writes all eight lanes of the buffer's row in one bulk copy: lane {@code j} gets the triple
     * ({@code lanes[j]}, {@code lanes[8 + j]}, {@code lanes[16 + j]}). Lanes at and above the
     * capacity must be given as 0 (empty lanes, as a fresh lease has them); the loader writes a
     * batch this way, zeros included, instead of with one {@link #set} per lane.
     *
     * @param lanes the S, P and O lines, 24 values
     * @return this
     * @throws IllegalArgumentException if a lane at or above the capacity is not empty
     * @throws StaleHandleException if the buffer was released
     */
    public SoaBuffer setRow(long[] lanes) {
        checkLeased();
        if (Switches.CHECKS && capacity < MAX_RUN_LEN) {
            checkEmptyAboveCapacity(lanes);
        }
        slab.putRow(base, lanes);
        return this;
    }

    private void checkEmptyAboveCapacity(long[] lanes) {
        for (int lane = capacity; lane < MAX_RUN_LEN; lane++) {
            if ((lanes[lane] | lanes[MAX_RUN_LEN + lane] | lanes[2 * MAX_RUN_LEN + lane]) != 0) {
                throw new IllegalArgumentException("lane " + lane + " is at or above the capacity " + capacity + " of "
                    + describe() + " but not empty");
            }
        }
    }

    /**
     * Writes one triple into a lane.
     *
     * @param lane 0..capacity-1
     * @param s subject id
     * @param p predicate id
     * @param o object id
     * @return this
     */
    public SoaBuffer set(int lane, long s, long p, long o) {
        if (Switches.CHECKS) {
            checkLane(lane);
        }
        slab.putTriple(base, lane, s, p, o);
        return this;
    }

    /** @return number of predicate runs recorded, 0..MAX_RUN_LEN */
    public int runCount() {
        return runCount;
    }

    /** @param run 0..runCount-1 @return the run's predicate id */
    public long runPredicate(int run) {
        return runPredicates[checkRun(run)];
    }

    /** @param run 0..runCount-1 @return the run's first lane */
    public int runOffset(int run) {
        return runOffsets[checkRun(run)];
    }

    /** @param run 0..runCount-1 @return the run's number of lanes */
    public int runLength(int run) {
        return runLengths[checkRun(run)];
    }

    /**
     * Records a predicate run over lanes {@code [offset, offset + len)}.
     *
     * @param predicate the run's predicate id
     * @param offset first lane
     * @param len number of lanes, at least 1
     * @return this
     */
    public SoaBuffer addRun(long predicate, int offset, int len) {
        checkLeased();
        if (runCount == MAX_RUN_LEN) {
            throw new IndexOutOfBoundsException(describe() + " has MAX_RUN_LEN " + MAX_RUN_LEN + " runs already");
        }
        if (offset < 0 || len < 1 || offset + len > capacity) {
            throw new IndexOutOfBoundsException("run [" + offset + ", " + (offset + len) + ") outside [0, capacity "
                + capacity + "] of " + describe());
        }
        runPredicates[runCount] = predicate;
        runOffsets[runCount] = (byte) offset;
        runLengths[runCount] = (byte) len;
        runCount++;
        return this;
    }

    /** Forgets every recorded run. @return this */
    public SoaBuffer clearRuns() {
        checkLeased();
        runCount = 0;
        return this;
    }

    /**
     * Makes this buffer carry a held receipt: the receipt goes back to the pool with the buffer.
     *
     * @param receipt a held receipt of the same pool
     * @return this
     */
    public SoaBuffer attach(Receipt receipt) {
        checkLeased();
        if (receipt.pool() != pool) {
            throw new ForeignReleaseException(receipt.describe() + " cannot be attached to " + describe()
                + ": different pools");
        }
        receipt.checkHeld();
        if (receiptCount == receipts.length) {
            throw new PoolException(describe() + " carries receiptsPerBuffer " + receipts.length
                + " receipts already");
        }
        receipt.attached = true;
        receipts[receiptCount++] = receipt;
        return this;
    }

    /** @return number of receipts attached to this lease */
    public int receiptCount() {
        return receiptCount;
    }

    /** @param i 0..receiptCount-1 @return the attached receipt */
    public Receipt receipt(int i) {
        if (i < 0 || i >= receiptCount) {
            throw new IndexOutOfBoundsException("receipt " + i + " outside [0, receiptCount " + receiptCount + ") of " + describe());
        }
        return receipts[i];
    }

    /**
     * @return the aligned, native-order slab of this buffer's segment (the pool's one slab when its
     *     capacity is fixed); this buffer occupies {@code [base(), base() + BUFFER_LENGTH)}
     */
    public ByteBuffer slab() {
        return slab.buffer();
    }

    /**
     * The pool's slab as kernels read it: the same memory as {@link #slab()}, through the running
     * JDK's lane-access path; this buffer is the row at {@link #base()}.
     *
     * @return the slab (shared, not a copy)
     */
    public Slab memory() {
        return slab;
    }

    /** @return byte offset of this buffer's subject lane 0 in {@link #slab()} and {@link #memory()} */
    public int base() {
        return base;
    }

    /** Releases this lease to its pool from any thread; see {@link BufferPool#release(SoaBuffer)}. */
    @Override
    public void close() {
        pool.release(this);
    }

    @Override
    public String toString() {
        return describe() + (leased ? "{generation=" + generation + ", length=" + length + ", runs=" + runCount + '}' : "{released}");
    }

    String describe() {
        return "SoA buffer " + slot + " of pool '" + pool.name() + "'";
    }

    private int cell(int laneOffset, int lane) {
        if (Switches.CHECKS) {
            checkLane(lane);
        }
        return base + laneOffset + lane * LANE_BYTES;
    }

    private void checkLane(int lane) {
        checkLeased();
        if (lane < 0 || lane >= capacity) {
            throw new IndexOutOfBoundsException("lane " + lane + " outside [0, capacity " + capacity + ") of " + describe());
        }
    }

    private int checkRun(int run) {
        if (run < 0 || run >= runCount) {
            throw new IndexOutOfBoundsException("run " + run + " outside [0, runCount " + runCount + ") of " + describe());
        }
        return run;
    }

    /**
     * Checks that this handle is leased, for code that reads {@link #slab()} directly (kernels).
     *
     * @return this
     * @throws StaleHandleException if the handle was released
     */
    public SoaBuffer checkLeased() {
        if (!leased) {
            throw new StaleHandleException(describe() + " used after release");
        }
        return this;
    }
}
