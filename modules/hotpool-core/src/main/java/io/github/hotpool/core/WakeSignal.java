package io.github.hotpool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before the wake-up signal's fields. */
abstract class WakePadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The fields of a {@link WakeSignal}. */
abstract class WakeFields extends WakePadBefore {
    static final VarHandle ARMED;
    static final VarHandle WAKE_AT;
    static final VarHandle FIRED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ARMED = l.findVarHandle(WakeFields.class, "armed", int.class);
            WAKE_AT = l.findVarHandle(WakeFields.class, "wakeAt", long.class);
            FIRED = l.findVarHandle(WakeFields.class, "fired", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 1 while the producer waits for room. Producer: volatile store 1, CAS 1 to 0; consumers: volatile load, CAS 1 to 0. */
    int armed;
    /** The gating bound the waiting producer needs. Producer: release store before arming; consumers: acquire load after seeing armed. */
    long wakeAt;
    /** Signals run. Consumers: atomic add by the CAS winner; others: acquire load. */
    long fired;
}

/**
 * The single-slot wake-up a ring's producer arms when the ring is full: one flag, the bound the
 * producer waits for, and one {@link Runnable} given at construction. Padded: terminal stages
 * read the flag on every advance, so it must not share a line with the producer's counters.
 * See {@link Ring} for the arm, re-check, wait protocol.
 */
final class WakeSignal extends WakeFields {
    long p10, p11, p12, p13, p14, p15, p16, p17;

    final Runnable onRoom;

    WakeSignal(Runnable onRoom) {
        this.onRoom = onRoom;
    }

    int lvArmed() {
        return (int) ARMED.getVolatile(this);
    }

    void svArmed(int v) {
        ARMED.setVolatile(this, v);
    }

    boolean casArmed(int expect, int update) {
        return ARMED.compareAndSet(this, expect, update);
    }

    long laWakeAt() {
        return (long) WAKE_AT.getAcquire(this);
    }

    void soWakeAt(long v) {
        WAKE_AT.setRelease(this, v);
    }

    long laFired() {
        return (long) FIRED.getAcquire(this);
    }

    void addFired() {
        FIRED.getAndAdd(this, 1L);
    }
}
