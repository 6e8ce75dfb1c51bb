package io.github.hotpool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Free-slot bookkeeping for one kind of pooled handle: a per-slot lease state, an owner-only LIFO
 * stack of free slots, and a multi-producer single-consumer ring through which other threads
 * return slots. Everything is allocated in the constructor; take and give allocate nothing.
 *
 * <p>Thread-safety: {@link #take()}, {@link #drain()} and {@link #giveOnOwner} run on the owner
 * thread only; {@link #giveRemote} may run on any thread; counters may be read from any thread.
 */
final class SlotTable {

    /*
     * Slot state word: (generation << 1) | IN_USE. take() turns g<<1 into g<<1|1; a release
     * CASes g<<1|1 to (g+1)<<1. A release that loses the CAS classifies itself by the value it
     * finds: (g+1)<<1 means this lease was released already (double release); anything else
     * means the slot has moved on to a later lease (stale handle). Because the CAS is the single
     * point of truth, two threads racing to release one lease cannot both win.
     *
     * The return ring holds slot+1 (0 = empty cell). Producers claim a sequence with getAndAdd
     * on tail and publish with a release store; the owner consumes in sequence order and stops
     * at the first unpublished cell. At most `maxCapacity` slots can be out of the free stack, so
     * tail - head never exceeds the ring length and a cell is never overwritten unconsumed.
     *
     * Adaptive capacity: the arrays are sized for maxCapacity and slots [capacity, maxCapacity)
     * simply never enter the free stack until addSlots puts them there. Retiring slots
     * (removeSlots) is only allowed when every one of them is on the free stack after a drain:
     * a slot that is leased, or ended but still on its way through the return ring, is not
     * there, so it can never come back as a slot of a retired range. A slot's state word, and
     * so its generation, outlives retirement: a stale handle of a retired slot still fails its
     * CAS, and a slot grown again continues from its last generation.
     */
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int IN_USE = 1;

    /** Outcome of a release attempt. */
    static final int RELEASED = 0;
    static final int ALREADY_RELEASED = 1;
    static final int STALE = 2;

    private volatile int capacity;
    final int maxCapacity;
    private final int[] state;
    private final int[] free;
    private int top;
    private final int[] ring;
    private final int mask;
    private long head;
    private final AtomicLong tail = new AtomicLong();

    private final AtomicLong acquired = new AtomicLong();
    private final AtomicLong localReleased = new AtomicLong();
    private final AtomicLong exhausted = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private volatile int highWater;
    /* owner only: most in use since the last windowHigh() */
    private int windowHigh;

    SlotTable(int capacity) {
        this(capacity, capacity);
    }

    SlotTable(int capacity, int maxCapacity) {
        this.capacity = capacity;
        this.maxCapacity = maxCapacity;
        this.state = new int[maxCapacity];
        this.free = new int[maxCapacity];
        // lowest slot on top: the first acquires walk the slab forwards
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        this.top = capacity;
        int ringLength = Integer.highestOneBit(Math.max(1, maxCapacity - 1)) << 1;
        this.ring = new int[ringLength];
        this.mask = ringLength - 1;
    }

    /** Owner: takes the hottest free slot, or returns -1 when none is free after draining returns. */
    int take() {
        boolean hit = top > 0;
        if (!hit && drain() == 0) {
            exhausted.lazySet(exhausted.get() + 1);
            return -1;
        }
        int slot = free[--top];
        INTS.setRelease(state, slot, (int) INTS.getAcquire(state, slot) | IN_USE);
        acquired.lazySet(acquired.get() + 1);
        if (hit) {
            hits.lazySet(hits.get() + 1);
        }
        // on the owner `acquired` is current, so the plain difference cannot go below 0
        int used = (int) (acquired.get() - released());
        if (used > highWater) {
            highWater = used;
        }
        if (used > windowHigh) {
            windowHigh = used;
        }
        return slot;
    }

    /** Any thread: slots in the table now (leased or free). */
    int capacity() {
        return capacity;
    }

    /** Owner: the most slots in use at once since the last call (at least those in use now); restarts the window. */
    int windowHigh() {
        int now = inUse();
        int high = Math.max(windowHigh, now);
        windowHigh = now;
        return high;
    }

    /**
     * Owner: adds slots {@code [from, from + count)} to the table, at the bottom of the free
     * stack, so that the buffers released most recently (hot in cache) are still handed out
     * first; the new slots come out lowest first once those run out.
     */
    void addSlots(int from, int count) {
        System.arraycopy(free, 0, free, count, top);
        for (int i = 0; i < count; i++) {
            free[i] = from + count - 1 - i;
        }
        top += count;
        capacity += count;
    }

    /**
     * Owner: retires slots {@code [from, from + count)} if every one of them is on the free stack
     * after draining the return ring; otherwise changes nothing.
     *
     * @return true if retired
     */
    boolean removeSlots(int from, int count) {
        drain();
        int found = 0;
        for (int i = 0; i < top; i++) {
            int s = free[i];
            if (s >= from && s < from + count) {
                found++;
            }
        }
        if (found != count) {
            return false;
        }
        int kept = 0;
        for (int i = 0; i < top; i++) {
            int s = free[i];
            if (s < from || s >= from + count) {
                free[kept++] = s; // keeps the order: the hottest stays on top
            }
        }
        top = kept;
        capacity -= count;
        return true;
    }

    /** Current lease generation of a slot (meaningful while the slot is in use). */
    int generation(int slot) {
        return (int) INTS.getAcquire(state, slot) >>> 1;
    }

    /** Any thread: whether lease {@code generation} of {@code slot} is still out. */
    boolean isLeased(int slot, int generation) {
        return (int) INTS.getAcquire(state, slot) == ((generation << 1) | IN_USE);
    }

    boolean isInUse(int slot) {
        return ((int) INTS.getAcquire(state, slot) & IN_USE) != 0;
    }

    /** Any thread: ends lease {@code generation} of {@code slot}; the slot is not yet free. */
    int end(int slot, int generation) {
        if (generation < 0) {
            return STALE; // generations are 31-bit; bit 31 would alias a real one in the shift below
        }
        int leased = (generation << 1) | IN_USE;
        int next = (generation + 1) << 1;
        if (INTS.compareAndSet(state, slot, leased, next)) {
            return RELEASED;
        }
        return (int) INTS.getAcquire(state, slot) == next ? ALREADY_RELEASED : STALE;
    }

    /**
     * Owner: ends lease {@code generation} of a slot that no other thread can release (a
     * run-scoped receipt), with a release store instead of a compare-and-set.
     */
    int endOwned(int slot, int generation) {
        int leased = (generation << 1) | IN_USE;
        int now = (int) INTS.getAcquire(state, slot);
        if (now != leased || generation < 0) {
            return now == (generation + 1) << 1 ? ALREADY_RELEASED : STALE;
        }
        INTS.setRelease(state, slot, (generation + 1) << 1);
        return RELEASED;
    }

    /** Owner: returns an ended slot to the top of the free stack. */
    void giveOnOwner(int slot) {
        free[top++] = slot;
        localReleased.lazySet(localReleased.get() + 1);
    }

    /** Any thread: returns an ended slot through the ring; the owner drains it later. */
    void giveRemote(int slot) {
        // the ring's tail doubles as the remote-release counter: one atomic per remote release
        long seq = tail.getAndIncrement();
        INTS.setRelease(ring, (int) (seq & mask), slot + 1);
    }

    /** Owner: moves every published remote return onto the free stack; returns how many. */
    int drain() {
        int n = 0;
        for (;;) {
            int cell = (int) (head & mask);
            int v = (int) INTS.getAcquire(ring, cell);
            if (v == 0) {
                return n;
            }
            INTS.setOpaque(ring, cell, 0);
            free[top++] = v - 1;
            head++;
            n++;
        }
    }

    /** Owner: visits every slot that is free right now (after a drain). */
    int freeSlot(int i) {
        return free[i];
    }

    int freeCount() {
        return top;
    }

    void resetHighWater() {
        highWater = inUse();
    }

    /**
     * Any thread: leases out now. A lease is counted as acquired before it can be released, so
     * the released count is read first (reading it last could count a release whose acquire was
     * not seen: a negative pool), and re-read until it held still across the acquired read
     * (otherwise a reader paused between the loads could count acquires whose releases it
     * missed: more leases than slots). The result is the exact count at the acquired read.
     */
    int inUse() {
        long released = released();
        for (;;) {
            long acquiredNow = acquired.get();
            long releasedAgain = released();
            if (releasedAgain == released) {
                return (int) (acquiredNow - released);
            }
            released = releasedAgain;
        }
    }

    long acquired() {
        return acquired.get();
    }

    long released() {
        return localReleased.get() + tail.get();
    }

    long remoteReleased() {
        return tail.get();
    }

    long exhausted() {
        return exhausted.get();
    }

    long hits() {
        return hits.get();
    }

    int highWater() {
        return highWater;
    }
}
