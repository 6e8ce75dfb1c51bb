package io.github.hotpool.vertx;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Per-slot state of SoA buffers lent out by {@link ContextPool#request}: decides, without locks or
 * allocation, which side gives a lent buffer back. Thread-safe (every transition is a CAS).
 */
final class LendingTable {

    /*
     * One int per slot: (generation << 2) | phase. Tagging with the lease generation means a
     * transition aimed at an old lease can never touch a later lease of the same slot.
     *
     *   NONE --lend--> LENT --receiver done--> DONE      (sender releases when the reply arrives)
     *                   |  --sender timed out--> ABANDONED (receiver releases when it is done)
     *                   |  --encoded to wire--> COPIED   (nobody local reads it any more)
     *
     * A reply or a failure other than TIMEOUT means the receiver is not reading (it replied, failed,
     * or never got the message), so the sender releases. On TIMEOUT the sender releases only if the
     * receiver already finished or read a wire copy; otherwise the last reader releases.
     */
    static final int NONE = 0;
    static final int LENT = 1;
    static final int DONE = 2;
    static final int ABANDONED = 3;
    static final int COPIED = 4;
    private static final int BITS = 3;
    private static final int MASK = (1 << BITS) - 1;

    private final AtomicIntegerArray state;

    LendingTable(int slots) {
        this.state = new AtomicIntegerArray(slots);
    }

    void lend(int slot, int generation) {
        state.set(slot, tag(generation, LENT));
    }

    /** @return the phase of lease {@code generation} of {@code slot}, or NONE if the slot moved on */
    int phase(int slot, int generation) {
        int v = state.get(slot);
        return (v >>> BITS) == (generation & (-1 >>> BITS)) ? v & MASK : NONE;
    }

    /** @return true if the transition LENT -> {@code to} happened */
    boolean move(int slot, int generation, int to) {
        return state.compareAndSet(slot, tag(generation, LENT), tag(generation, to));
    }

    void clear(int slot, int generation) {
        int v = state.get(slot);
        if ((v >>> BITS) == (generation & (-1 >>> BITS))) {
            state.compareAndSet(slot, v, NONE);
        }
    }

    private static int tag(int generation, int phase) {
        return (generation << BITS) | phase;
    }
}
