package io.github.hotpool.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The SoA segments of one {@link BufferPool} and its adaptive capacity policy: which segments are
 * in the pool, their slabs, and the state of the policy step. A fixed pool has one segment.
 *
 * <p>Thread-safety: owner-thread confined, except {@link #isRetired(int)}, {@link
 * #bytesReserved()}, {@link #grows()} and {@link #shrinks()}, which any thread may call.
 */
final class Segments {

    /*
     * Slot s lives in segment 0 (the base, never retired) when s < base, else in segment
     * 1 + (s - base) / step. A segment is in the pool while slabs[k] != null. Growth and
     * retirement go through the SlotTable (addSlots / removeSlots), whose comment says why a
     * retired range can never be handed out again.
     */

    /* what the handles of a retired segment point at: no memory, so every lane access fails */
    private static final Slab RETIRED = new Slab(AlignedMemory.allocate(0, "retired segment"));

    private final BufferPool pool;
    private final SoaBuffer[] buffers;
    private final SlotTable slots;
    private final Slab[] slabs;
    private final Thread[] touchedBy;
    private final int base;
    private final int step;
    private final CapacityPolicy policy;
    private final long idleNanos;
    private final int growAtPercent;
    private final int receiptsPerBuffer;
    private volatile long bytesReserved;
    private final AtomicLong grows = new AtomicLong();
    private final AtomicLong shrinks = new AtomicLong();
    private long lastExhausted;
    private long quietSince;
    private boolean quietStarted;

    Segments(BufferPool pool, PoolOptions options, Slab baseSlab, SoaBuffer[] buffers, SlotTable slots) {
        this.pool = pool;
        this.buffers = buffers;
        this.slots = slots;
        this.base = options.getSoaBuffers();
        this.step = options.effectiveGrowthStep();
        this.policy = options.getCapacityPolicy();
        this.idleNanos = options.getIdleMillis() * 1_000_000L;
        this.growAtPercent = options.getGrowAtPercent();
        this.receiptsPerBuffer = options.getReceiptsPerBuffer();
        this.slabs = new Slab[1 + (options.effectiveMaxSoaBuffers() - base) / step];
        this.touchedBy = new Thread[slabs.length];
        slabs[0] = baseSlab;
        touchedBy[0] = Thread.currentThread();
        this.bytesReserved = (long) base * SoaLayout.BUFFER_LENGTH;
    }

    int base() {
        return base;
    }

    /**
     * Any thread: whether {@code slot} lies in a retired segment. A plain read: a live lease's
     * segment was set before the lease was handed out (so the hand-off publishes it), and it
     * cannot be retired while the lease is out.
     */
    boolean isRetired(int slot) {
        return slot >= base && slabs[1 + (slot - base) / step] == null;
    }

    long bytesReserved() {
        return bytesReserved;
    }

    long grows() {
        return grows.get();
    }

    long shrinks() {
        return shrinks.get();
    }

    Thread touchedBy(int segment) {
        return touchedBy[segment];
    }

    int count() {
        int n = 0;
        for (Slab s : slabs) {
            if (s != null) {
                n++;
            }
        }
        return n;
    }

    /** Owner: one policy step; see {@link BufferPool#maintain(long)}. */
    int maintain(long nowNanos) {
        if (policy == CapacityPolicy.FIXED) {
            return 0;
        }
        slots.drain(); // every step starts from the same free stack, whatever it decides
        long exhaustedNow = slots.exhausted();
        boolean starved = exhaustedNow != lastExhausted;
        lastExhausted = exhaustedNow;
        int high = slots.windowHigh();
        int capacity = slots.capacity();
        boolean pressed = starved
            || policy == CapacityPolicy.GROW_ON_HIGH_WATER && (long) high * 100 >= (long) capacity * growAtPercent;
        if (!quietStarted || pressed || high > capacity - step) {
            quietStarted = true;
            quietSince = nowNanos;
            return pressed && grow() ? 1 : 0;
        }
        if (capacity > base && nowNanos - quietSince >= idleNanos && shrink()) {
            quietSince = nowNanos; // the next segment waits a full idle period of its own
            return -1;
        }
        return 0;
    }

    /** Owner: adds the lowest absent segment; false at the maximum. */
    boolean grow() {
        for (int k = 1; k < slabs.length; k++) {
            if (slabs[k] == null) {
                add(k);
                return true;
            }
        }
        return false;
    }

    private void add(int k) {
        int from = start(k);
        Slab slab = new Slab(AlignedMemory.allocate((long) step * SoaLayout.BUFFER_LENGTH,
            "segment " + k + " of pool '" + pool.name() + "', growthStep=" + step));
        for (int i = 0; i < step; i++) {
            SoaBuffer b = buffers[from + i];
            if (b == null) {
                buffers[from + i] = new SoaBuffer(pool, from + i, slab, i, receiptsPerBuffer);
            } else {
                b.rebind(slab); // the handle of an earlier life of this segment: only the memory is new
            }
        }
        slabs[k] = slab;
        touchedBy[k] = Thread.currentThread();
        slots.addSlots(from, step);
        bytesReserved += (long) step * SoaLayout.BUFFER_LENGTH;
        grows.lazySet(grows.get() + 1);
    }

    /** Owner: retires the highest grown segment whose buffers are all free; false if none is. */
    boolean shrink() {
        slots.drain();
        for (int k = slabs.length - 1; k >= 1; k--) {
            if (slabs[k] != null && slots.removeSlots(start(k), step)) {
                int from = start(k);
                for (int i = 0; i < step; i++) {
                    buffers[from + i].rebind(RETIRED); // the handle stays for a regrowth; its slab goes
                }
                slabs[k] = null;
                touchedBy[k] = null;
                bytesReserved -= (long) step * SoaLayout.BUFFER_LENGTH;
                shrinks.lazySet(shrinks.get() + 1);
                return true;
            }
        }
        return false;
    }

    private int start(int k) {
        return base + (k - 1) * step;
    }
}
