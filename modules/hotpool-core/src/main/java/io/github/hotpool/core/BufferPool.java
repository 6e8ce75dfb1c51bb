package io.github.hotpool.core;

import java.nio.ByteBuffer;

/**
 * A fixed-capacity pool of 64-byte-aligned structure-of-arrays buffers ({@link SoaBuffer}) and
 * receipts ({@link Receipt}), owned by one thread.
 *
 * <p>Everything is allocated by the constructor: one aligned off-heap slab for the buffers, one
 * for the receipts, and one handle object per slot. {@link #acquire(int)}, {@link
 * #release(SoaBuffer)}, the receipt calls and the counters allocate nothing afterwards, on
 * success or failure. Acquire never grows the pool: when every buffer is in use, acquire fails with a
 * {@link PoolExhaustedException} naming the capacity and {@link #tryAcquire(int)} returns null.
 *
 * <p>Adaptive capacity (opt-in, {@link PoolOptions#setCapacityPolicy}): the SoA buffers live in
 * segments, each its own aligned slab: the base segment of {@code soaBuffers} buffers, which
 * never goes, and up to {@code (maxSoaBuffers - soaBuffers) / growthStep} grown segments.
 * The owner changes the capacity only through {@link #maintain(long)} (the policy: grow on
 * measured exhaustion or high water, shrink after an idle period), {@link #grow()} and {@link
 * #shrink()}, from a timer or its own scheduling, never inside acquire or release. Growing
 * allocates the segment's slab and handles on the owner thread (so the owner first touches,
 * zeroes, its memory); shrinking retires a grown segment only when every buffer in it is free
 * and drops the pool's reference to its slab (its handles point at no memory until the segment
 * grows again), so the garbage collector frees the slab. Acquire and release stay
 * allocation-free and LIFO across segments; slot numbers and generations are stable across
 * segments, so double-release and stale-handle detection work across a shrink and a regrowth.
 *
 * <p>Thread-safety: single owner. Acquire, {@link #receipt()}, {@link #resetReceipts()}, {@link
 * #clear()} and {@link #close()} run on the owner thread (the constructing thread unless one is
 * named) and fail with {@link WrongThreadException} elsewhere. Release ({@link
 * #release(SoaBuffer)}, {@link SoaBuffer#close()}, {@link Receipt#close()}) is safe on any
 * thread: on the owner it pushes the slot on a LIFO stack, so the most recently released — and
 * hottest in cache — buffer is handed out next; elsewhere it goes through a lock-free
 * multi-producer ring that the owner drains when its stack runs empty. Counters, {@link
 * #capacityUsage()} and {@link #stats()} may be read from any thread.
 */
public final class BufferPool {

    private final String name;
    private final PoolOptions options;
    private final Thread owner;
    private final Slab soaSlab;
    private final Segments segments;
    private final Slab receiptSlab;
    private final SoaBuffer[] buffers;
    private final Receipt[] receipts;
    private final SlotTable soaSlots;
    private final SlotTable receiptSlots;
    private final int[] runScoped;
    private int runScopedCount;
    private final PoolExhaustedException soaExhausted;
    private final PoolExhaustedException receiptsExhausted;
    private final AllocationProbe probe;
    private volatile boolean closed;
    private volatile ReleaseListener releaseListener;
    private volatile Object attachment;

    /**
     * Creates a pool owned by the calling thread.
     *
     * @param options sizes; copied and validated
     */
    public BufferPool(PoolOptions options) {
        this(options, Thread.currentThread());
    }

    /**
     * Creates a pool owned by {@code owner} (for example an event-loop thread).
     *
     * @param options sizes; copied and validated
     * @param owner the only thread that may acquire
     */
    public BufferPool(PoolOptions options, Thread owner) {
        this.options = new PoolOptions(options).validate();
        if (owner == null) {
            throw new IllegalArgumentException("owner thread must not be null");
        }
        this.name = this.options.getName();
        this.owner = owner;
        int n = this.options.getSoaBuffers();
        int max = this.options.effectiveMaxSoaBuffers();
        int r = this.options.getReceipts();
        this.soaSlab = new Slab(AlignedMemory.allocate((long) n * SoaLayout.BUFFER_LENGTH, "soaBuffers=" + n));
        this.receiptSlab = new Slab(AlignedMemory.allocate((long) r * ReceiptLayout.RECEIPT_LENGTH, "receipts=" + r));
        this.buffers = new SoaBuffer[max];
        for (int i = 0; i < n; i++) {
            buffers[i] = new SoaBuffer(this, i, soaSlab, i, this.options.getReceiptsPerBuffer());
        }
        this.receipts = new Receipt[r];
        for (int i = 0; i < r; i++) {
            receipts[i] = new Receipt(this, i, receiptSlab);
        }
        this.soaSlots = new SlotTable(n, max);
        this.segments = new Segments(this, this.options, soaSlab, buffers, soaSlots);
        this.receiptSlots = new SlotTable(r);
        this.runScoped = new int[r];
        this.soaExhausted = new PoolExhaustedException("all " + n + " SoA buffers of pool '" + name + "' in use"
            + (max > n ? " (adaptive up to " + max + ": capacity changes in maintain(), never in acquire)" : ""));
        this.receiptsExhausted = new PoolExhaustedException("all " + r + " receipts of pool '" + name + "' in use");
        this.probe = Switches.PROFILE ? new AllocationProbe() : null;
    }

    /** @return the pool name */
    public String name() {
        return name;
    }

    /** @return a copy of the options this pool was built with */
    public PoolOptions options() {
        return new PoolOptions(options);
    }

    /** @return the owner thread */
    public Thread ownerThread() {
        return owner;
    }

    /** @return true when called on the owner thread */
    public boolean isOwnerThread() {
        return Thread.currentThread() == owner;
    }

    /** @return true after {@link #close()} */
    public boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- SoA buffers

    /**
     * Owner thread: leases the hottest free buffer for {@code size} triples, zeroed.
     *
     * @param size triples the caller will write, 1..{@link SoaLayout#MAX_RUN_LEN}
     * @return the buffer
     * @throws InvalidSizeException if size is outside [1, 8]
     * @throws PoolExhaustedException if every buffer is in use (a pre-allocated, stackless instance)
     */
    public SoaBuffer acquire(int size) {
        SoaBuffer b = tryAcquire(size);
        if (b == null) {
            throw soaExhausted;
        }
        return b;
    }

    /**
     * Owner thread: like {@link #acquire(int)} but returns null when every buffer is in use;
     * allocates nothing either way.
     *
     * @param size triples the caller will write, 1..{@link SoaLayout#MAX_RUN_LEN}
     * @return the buffer, or null when exhausted
     */
    public SoaBuffer tryAcquire(int size) {
        if (size < 1 || size > SoaLayout.MAX_RUN_LEN) {
            throw new InvalidSizeException(size < 1
                ? "SoA buffer size " + size + " is below 1"
                : "SoA buffer size " + size + " exceeds MAX_RUN_LEN " + SoaLayout.MAX_RUN_LEN);
        }
        checkOwnerOpen("acquire");
        long mark = probe != null ? probe.begin() : 0;
        int slot = soaSlots.take();
        if (slot < 0) {
            if (probe != null) {
                probe.end(mark);
            }
            return null;
        }
        SoaBuffer b = buffers[slot];
        b.open(soaSlots.generation(slot), size);
        if (probe != null) {
            probe.end(mark);
        }
        return b;
    }

    /**
     * Any thread: gives the current lease of {@code buffer} back, with its attached receipts.
     * Releasing after {@link #close()} is harmless.
     *
     * @param buffer a leased buffer of this pool
     * @throws ForeignReleaseException if the buffer belongs to another pool
     * @throws DoubleReleaseException if the lease was released already
     */
    public void release(SoaBuffer buffer) {
        release(buffer, buffer.generation);
    }

    /**
     * Any thread: gives lease {@code generation} of {@code buffer} back. Holders that may outlive
     * their lease (timeouts, retries) release this way, so that a late release can never end a
     * later lease of the same slot.
     *
     * @param buffer a buffer of this pool
     * @param generation the generation remembered at acquire
     * @throws ForeignReleaseException if the buffer belongs to another pool
     * @throws DoubleReleaseException if that lease was released already
     * @throws StaleHandleException if the slot has moved on to a later lease
     */
    public void release(SoaBuffer buffer, int generation) {
        if (buffer.pool() != this) {
            throw new ForeignReleaseException(buffer.describe() + " released into pool '" + name + "'");
        }
        long mark = probe != null ? probe.begin() : 0;
        int slot = buffer.slot();
        if (segments.isRetired(slot)) {
            throw new StaleHandleException(buffer.describe() + " is in a retired segment (generation "
                + generation + ")");
        }
        int outcome = soaSlots.end(slot, generation);
        if (outcome != SlotTable.RELEASED) {
            throw outcome == SlotTable.ALREADY_RELEASED
                ? new DoubleReleaseException(buffer.describe() + " released twice (generation " + generation + ")")
                : new StaleHandleException(buffer.describe() + " released with stale generation " + generation
                    + leasedNow(soaSlots, slot));
        }
        boolean onOwner = isOwnerThread();
        buffer.endLease(onOwner);
        if (onOwner) {
            soaSlots.giveOnOwner(slot);
        } else {
            soaSlots.giveRemote(slot);
        }
        ReleaseListener listener = releaseListener;
        if (listener != null) {
            listener.released(this, onOwner);
        }
        if (probe != null) {
            probe.end(mark);
        }
    }

    /**
     * Any thread: whether lease {@code generation} of {@code buffer} is still out, read with
     * acquire semantics from the slot's state word (so it is exact on any thread, unlike the
     * handle's own {@link SoaBuffer#isReleased()}, which is meant for its current holder).
     *
     * @param buffer a buffer of this pool
     * @param generation the generation remembered at acquire
     * @return true while that lease has not been released
     */
    public boolean isLeased(SoaBuffer buffer, int generation) {
        if (buffer.pool() != this) {
            throw new ForeignReleaseException(buffer.describe() + " asked about in pool '" + name + "'");
        }
        return soaSlots.isLeased(buffer.slot(), generation);
    }

    /**
     * Sets the listener told about every buffer release, replacing any earlier one; null removes it.
     *
     * @param listener see {@link ReleaseListener} for its contract
     */
    public void releaseListener(ReleaseListener listener) {
        this.releaseListener = listener;
    }

    /** @return the object an integration attached to this pool, or null */
    public Object attachment() {
        return attachment;
    }

    /**
     * Attaches one object to this pool (an integration's per-pool state, found again from any
     * buffer through {@code buffer.pool().attachment()} without a map lookup).
     *
     * @param attachment the object, or null to detach
     */
    public void attachment(Object attachment) {
        this.attachment = attachment;
    }

    // ---------------------------------------------------------------- receipts

    /**
     * Owner thread: the original {@code get_receipt}: leases a zeroed, run-scoped receipt that
     * {@link #resetReceipts()} takes back.
     *
     * @return the receipt
     * @throws PoolExhaustedException if every receipt is in use
     */
    public Receipt receipt() {
        Receipt r = leaseReceipt(Receipt.RUN);
        if (r == null) {
            throw receiptsExhausted;
        }
        runScoped[runScopedCount++] = r.index();
        return r;
    }

    /**
     * Owner thread: leases a zeroed, held receipt that survives {@link #resetReceipts()}; it goes
     * back on {@link Receipt#close()} or with the buffer it is attached to.
     *
     * @return the receipt
     * @throws PoolExhaustedException if every receipt is in use
     */
    public Receipt acquireReceipt() {
        Receipt r = leaseReceipt(Receipt.HELD);
        if (r == null) {
            throw receiptsExhausted;
        }
        return r;
    }

    /**
     * Owner thread: like {@link #acquireReceipt()} but returns null when every receipt is in use.
     *
     * @return the receipt, or null
     */
    public Receipt tryAcquireReceipt() {
        return leaseReceipt(Receipt.HELD);
    }

    private Receipt leaseReceipt(byte mode) {
        checkOwnerOpen("acquire a receipt");
        int idx = receiptSlots.take();
        if (idx < 0) {
            return null;
        }
        Receipt r = receipts[idx];
        r.open(receiptSlots.generation(idx), mode);
        return r;
    }

    /**
     * Owner thread: the original {@code reset_receipt_pool}: takes back every run-scoped receipt.
     * Held receipts, attached or not, are untouched.
     */
    public void resetReceipts() {
        checkOwner("reset receipts");
        for (int i = 0; i < runScopedCount; i++) {
            int idx = runScoped[i];
            Receipt r = receipts[idx];
            // run-scoped receipts go back only here, on the owner: no other thread can race this end
            if (receiptSlots.endOwned(idx, r.generation) == SlotTable.RELEASED) {
                r.mode = Receipt.FREE;
                receiptSlots.giveOnOwner(idx);
            }
        }
        runScopedCount = 0;
    }

    void releaseReceipt(Receipt r, int generation) {
        if (generation != r.generation) {
            // an older lease: its compare-and-set fails and says whether it was released or stale;
            // the mode and attachment below are the current lease's, not that one's
            endReceipt(r, generation, isOwnerThread());
            return;
        }
        if (r.mode == Receipt.RUN) {
            throw new IllegalStateException(r.describe() + " is run-scoped: resetReceipts() takes it back");
        }
        if (r.attached && r.mode == Receipt.HELD) {
            throw new IllegalStateException(r.describe() + " is attached to a buffer and goes back with it");
        }
        endReceipt(r, generation, isOwnerThread());
    }

    /** For a stale release's message: the lease the slot is in now, if any. */
    private static String leasedNow(SlotTable slots, int slot) {
        return slots.isInUse(slot) ? " (leased now as generation " + slots.generation(slot) + ")" : "";
    }

    void releaseAttachedReceipt(Receipt r, boolean onOwner) {
        endReceipt(r, r.generation, onOwner);
    }

    private void endReceipt(Receipt r, int generation, boolean onOwner) {
        int idx = r.index();
        int outcome = receiptSlots.end(idx, generation);
        if (outcome != SlotTable.RELEASED) {
            throw outcome == SlotTable.ALREADY_RELEASED
                ? new DoubleReleaseException(r.describe() + " released twice (generation " + generation + ")")
                : new StaleHandleException(r.describe() + " released with stale generation " + generation
                    + leasedNow(receiptSlots, idx));
        }
        r.mode = Receipt.FREE;
        r.attached = false;
        if (onOwner) {
            receiptSlots.giveOnOwner(idx);
        } else {
            receiptSlots.giveRemote(idx);
        }
    }

    // ---------------------------------------------------------------- state

    /** @return SoA buffers leased now; exact from any thread */
    public int soaInUse() {
        return soaSlots.inUse();
    }

    /** @return receipts leased now (run-scoped and held); exact from any thread */
    public int receiptsInUse() {
        return receiptSlots.inUse();
    }

    /** @return SoA buffer leases handed out since construction */
    public long acquiredCount() {
        return soaSlots.acquired();
    }

    /** @return SoA buffer leases given back since construction, on any thread */
    public long releasedCount() {
        return soaSlots.released();
    }

    /** @return SoA buffer leases given back from threads other than the owner */
    public long remoteReleaseCount() {
        return soaSlots.remoteReleased();
    }

    /** @return acquires that found every SoA buffer in use */
    public long exhaustedCount() {
        return soaSlots.exhausted();
    }

    /** @return the most SoA buffers in use at once since construction or {@link #clear()} */
    public int highWaterMark() {
        return soaSlots.highWater();
    }

    /** @return buffers and receipts in use against their totals; allocates the snapshot */
    public CapacityUsage capacityUsage() {
        return new CapacityUsage(soaSlots.inUse(), soaSlots.capacity(), receiptSlots.inUse(), receiptSlots.capacity());
    }

    // ---------------------------------------------------------------- adaptive capacity

    /** @return SoA buffers in the pool now, leased or free; any thread */
    public int soaCapacity() {
        return soaSlots.capacity();
    }

    /** @return the most SoA buffers the pool may hold (its capacity when fixed); any thread */
    public int maxSoaCapacity() {
        return soaSlots.maxCapacity;
    }

    /** @return the smallest capacity: the base segment, {@code soaBuffers} */
    public int minSoaCapacity() {
        return segments.base();
    }

    /** @return off-heap bytes reserved for SoA buffers now (their slabs, alignment slack aside); any thread */
    public long soaBytesReserved() {
        return segments.bytesReserved();
    }

    /** @return segments added since construction; any thread */
    public long growCount() {
        return segments.grows();
    }

    /** @return segments retired since construction; any thread */
    public long shrinkCount() {
        return segments.shrinks();
    }

    /**
     * The thread that allocated, and so first touched (zeroed), a segment's slab: the owner for
     * every grown segment, the constructing thread for the base segment.
     *
     * @param segment 0 (base) .. segments - 1
     * @return that thread, or null while the segment is not in the pool
     */
    public Thread segmentTouchedBy(int segment) {
        return segments.touchedBy(segment);
    }

    /** @return segments in the pool now, the base one included; owner thread */
    public int segmentCount() {
        return segments.count();
    }

    /**
     * Owner thread: one step of the capacity policy at time {@code nowNanos} (any monotonic clock,
     * {@link System#nanoTime()} normally; tests pass their own). Grows one segment if an acquire
     * found every buffer in use since the last step (or, under {@link
     * CapacityPolicy#GROW_ON_HIGH_WATER}, the most buffers in use reached {@code growAtPercent}
     * of the capacity); shrinks one segment when for {@code idleMillis} the pool never needed
     * more than its capacity minus one segment, and a whole segment is free. Each step of an
     * adaptive pool first moves the buffers released on other threads onto the free stack. A
     * fixed pool does nothing. Call it from a timer or between bursts, never from inside a kernel's hot loop:
     * growing allocates.
     *
     * @param nowNanos the time of this step
     * @return 1 if a segment was added, -1 if one was retired, 0 otherwise
     * @throws WrongThreadException off the owner thread
     */
    public int maintain(long nowNanos) {
        checkOwner("maintain capacity");
        return closed ? 0 : segments.maintain(nowNanos);
    }

    /**
     * Owner thread: adds one segment of {@code growthStep} buffers now, whatever the policy says.
     * Allocates the segment's aligned slab (zeroed on this thread), and its handles the first
     * time that segment grows; the new
     * buffers go below the free ones, so the hottest free buffer is still handed out first.
     *
     * @return false if the pool is at its maximum (or fixed, or closed)
     * @throws WrongThreadException off the owner thread
     */
    public boolean grow() {
        checkOwner("grow");
        return !closed && segments.grow();
    }

    /**
     * Owner thread: retires the highest grown segment whose buffers are all free now (after
     * draining releases from other threads), whatever the policy says. Its slab is dropped; its
     * handle objects are kept, pointing at no memory, for a later regrowth of the segment (so
     * growing again allocates only the slab). A handle of a retired segment fails on release
     * with {@link StaleHandleException}, and on lane access as a released handle does.
     *
     * @return false if no grown segment is entirely free (or there is none)
     * @throws WrongThreadException off the owner thread
     */
    public boolean shrink() {
        checkOwner("shrink");
        return segments.shrink();
    }

    /** @return an immutable snapshot of every counter; allocates the snapshot */
    public PoolStats stats() {
        // releases before acquires: every release counted then has its acquire counted too
        long remoteReleased = soaSlots.remoteReleased();
        long released = soaSlots.released();
        long receiptsReleased = receiptSlots.released();
        long hits = soaSlots.hits();
        return new PoolStats(name, soaSlots.acquired(), released, remoteReleased,
            soaSlots.exhausted(), soaSlots.highWater(), hits, probe != null ? probe.allocatingCalls() : 0,
            receiptSlots.acquired(), receiptsReleased, receiptSlots.exhausted(), receiptSlots.highWater(),
            soaSlots.capacity(), soaSlots.maxCapacity, segments.grows(), segments.shrinks(), segments.bytesReserved());
    }

    /**
     * Owner thread: returns the pool to its just-built state for everything not leased: drains
     * remote returns, takes back run-scoped receipts, zeroes every free buffer and receipt, and
     * restarts the high-water marks. Leased buffers and held receipts stay valid and come back
     * normally. Counters are monotonic and are not reset.
     */
    public void clear() {
        checkOwner("clear");
        resetReceipts();
        soaSlots.drain();
        receiptSlots.drain();
        for (int i = 0; i < soaSlots.freeCount(); i++) {
            SoaBuffer b = buffers[soaSlots.freeSlot(i)];
            b.memory().zero(b.base(), SoaLayout.BUFFER_LENGTH);
        }
        for (int i = 0; i < receiptSlots.freeCount(); i++) {
            receiptSlab.zero(ReceiptLayout.receiptOffset(receiptSlots.freeSlot(i)), ReceiptLayout.RECEIPT_LENGTH);
        }
        soaSlots.resetHighWater();
        receiptSlots.resetHighWater();
    }

    /**
     * Owner thread: closes the pool. Acquires fail from now on; buffers still out may be released
     * later, harmlessly. Idempotent.
     *
     * @return the number of SoA buffers still leased at this moment
     */
    public int close() {
        checkOwner("close");
        closed = true;
        return soaSlots.inUse();
    }

    /**
     * The pool's slab of SoA buffers, for alignment checks and tools; buffer {@code i} starts at
     * {@link SoaLayout#bufferOffset(int)}. With adaptive capacity this is the base segment only
     * (buffers {@code 0 .. soaBuffers - 1}); a buffer of a grown segment reaches its own slab
     * through {@link SoaBuffer#memory()} and {@link SoaBuffer#base()}.
     *
     * @return the aligned, native-order slab (shared, not a copy)
     */
    public ByteBuffer soaSlab() {
        return soaSlab.buffer();
    }

    /** @return the aligned, native-order receipt slab (shared, not a copy) */
    public ByteBuffer receiptSlab() {
        return receiptSlab.buffer();
    }

    /**
     * The pool's SoA slab as kernels read it (the same memory as {@link #soaSlab()}); buffer
     * {@code i} is row {@code i}, at {@link SoaLayout#bufferOffset(int)}. Span kernels take it
     * with a {@link RunTable} of the buffers' runs. With adaptive capacity this is the base
     * segment only (see {@link #soaSlab()}).
     *
     * @return the slab (shared, not a copy)
     */
    public Slab soaMemory() {
        return soaSlab;
    }

    /** @return the receipt slab as kernels write it (the same memory as {@link #receiptSlab()}) */
    public Slab receiptMemory() {
        return receiptSlab;
    }

    @Override
    public String toString() {
        return "BufferPool{name=" + name + ", soa=" + soaInUse() + '/' + soaSlots.capacity()
            + (soaSlots.maxCapacity > segments.base() ? " (" + segments.base() + ".." + soaSlots.maxCapacity + ")" : "")
            + ", receipts=" + receiptsInUse() + '/' + receiptSlots.capacity() + (closed ? ", closed" : "") + '}';
    }

    private void checkOwnerOpen(String what) {
        checkOwner(what);
        if (closed) {
            throw new PoolClosedException("pool '" + name + "' is closed: cannot " + what);
        }
    }

    private void checkOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("cannot " + what + " on thread '" + Thread.currentThread().getName()
                + "': pool '" + name + "' is owned by thread '" + owner.getName() + "'");
        }
    }
}
