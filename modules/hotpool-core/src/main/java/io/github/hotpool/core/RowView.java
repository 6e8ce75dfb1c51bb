package io.github.hotpool.core;

/**
 * What every row view shares: the ring, the holder it reads for, and the row it points at.
 * A view is a reusable flyweight: {@code at(seq)} points it at another row, allocation-free.
 *
 * <p>Thread-safety: one view per holder, used only on that holder's thread. With {@code
 * -Dhotpool.checks} (on by default) {@code at} checks that the holder holds the row, and every
 * accessor checks that the holder has not passed it since ({@link StaleHandleException}) and that
 * lane and run indices are in range.
 */
abstract class RowView {

    final Ring ring;
    final int holder;
    long seq = -1;
    int index;
    /** The layout of the row pointed at; the ring's first layout before the first {@code at}. */
    RingLayout layout;

    RowView(Ring ring, int holder) {
        this.ring = ring;
        this.holder = holder;
        this.layout = ring.currentLayout();
    }

    final void point(long s) {
        if (Switches.CHECKS) {
            ring.checkHolds(holder, s);
        }
        RingLayout l = ring.layoutOf(s);
        seq = s;
        layout = l;
        index = (int) (s & l.mask);
    }

    /** Under CHECKS: the view points at a row its holder has not passed yet. */
    final void checkHeld() {
        if (seq < 0) {
            throw new IllegalStateException("row view of " + ring.holderName(holder) + " of " + ring.describe()
                + " is not pointed at a row yet: call at(seq)");
        }
        long from = ring.holdStartOnHolderThread(holder);
        if (seq < from) {
            throw new StaleHandleException("row " + seq + " of " + ring.describe() + " used by " + ring.holderName(holder)
                + " after passing it (now at " + from + ")");
        }
    }

    /** @return the sequence this view points at, -1 before the first {@code at} */
    public final long sequence() {
        return seq;
    }

    /** @return the row's index in its layout's slab, {@code sequence() & (capacity - 1)} */
    public final int index() {
        return index;
    }

    /** @return the stage index this view reads for, or {@link Ring#PRODUCER} */
    public final int holder() {
        return holder;
    }

    /** @return true if the row is marked failed (by this holder or an earlier one) */
    public final boolean isFailed() {
        return ring.isFailed(seq);
    }

    /** @return the stage index that failed the row, {@link Ring#PRODUCER}, or {@link Ring#NOT_FAILED} */
    public final int failedBy() {
        return ring.failedBy(seq);
    }

    /** @return the reason code the row failed with, 0 if not failed */
    public final int failReason() {
        return ring.failReason(seq);
    }

    /**
     * Marks the row failed for this view's holder (see {@link Ring#fail}); later stages skip it
     * and still pass it.
     *
     * @param reason reason code, 0..{@value Ring#MAX_FAIL_REASON}
     */
    public final void fail(int reason) {
        ring.fail(holder, seq, reason);
    }
}
