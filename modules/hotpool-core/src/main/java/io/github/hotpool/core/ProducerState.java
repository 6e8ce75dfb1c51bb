package io.github.hotpool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before the producer's fields. */
abstract class ProducerPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The fields only a ring's producer (owner thread) writes, together on their own lines. */
abstract class ProducerFields extends ProducerPadBefore {
    static final VarHandle CLAIMED;
    static final VarHandle FULL_ANSWERS;
    static final VarHandle WAITS;
    static final VarHandle HIGHEST_OCCUPANCY;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CLAIMED = l.findVarHandle(ProducerFields.class, "claimed", long.class);
            FULL_ANSWERS = l.findVarHandle(ProducerFields.class, "fullAnswers", long.class);
            WAITS = l.findVarHandle(ProducerFields.class, "waits", long.class);
            HIGHEST_OCCUPANCY = l.findVarHandle(ProducerFields.class, "highestOccupancy", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Next sequence to claim. Owner: plain load, ordered store. Others: acquire load (stats, checks). */
    long claimed;
    /** The gating bound the owner last read; rows below it are known to be free. Owner only, plain. */
    long gateCache;
    /** Whether the owner armed the wake-up and has not seen it disarmed since. Owner only, plain. */
    boolean armedLocal;
    /** Claims answered "no room". Owner: plain load, ordered store; others: acquire load. */
    long fullAnswers;
    /** Claims that armed the wake-up and found no room on the re-check. As fullAnswers. */
    long waits;
    /** Most rows claimed and not yet passed by the gating stages, as sampled by the owner. As fullAnswers. */
    int highestOccupancy;
    /** The layout new claims go to (the ring's current one). Owner only, plain. */
    RingLayout layout;
}

/**
 * A ring producer's own state, padded so that consumers' reads of the ring's final fields and of
 * the cursors never share a line with the owner's stores here. Single writer: the ring's owner
 * thread; counters are written with ordered stores so that other threads read whole values.
 */
final class ProducerState extends ProducerFields {
    long p10, p11, p12, p13, p14, p15, p16, p17;

    long laClaimed() {
        return (long) CLAIMED.getAcquire(this);
    }

    void soClaimed(long v) {
        CLAIMED.setRelease(this, v);
    }

    long laFullAnswers() {
        return (long) FULL_ANSWERS.getAcquire(this);
    }

    void soFullAnswers(long v) {
        FULL_ANSWERS.setRelease(this, v);
    }

    long laWaits() {
        return (long) WAITS.getAcquire(this);
    }

    void soWaits(long v) {
        WAITS.setRelease(this, v);
    }

    int laHighestOccupancy() {
        return (int) HIGHEST_OCCUPANCY.getAcquire(this);
    }

    void soHighestOccupancy(int v) {
        HIGHEST_OCCUPANCY.setRelease(this, v);
    }
}
