package io.github.hotpool.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * Padding: a cursor is written by one thread on nearly every batch and read by the threads
 * downstream of it, so its value must not share a cache line with anything else that is written
 * (another cursor, the producer's claim counter) or it drags that line between cores on every
 * write. HotSpot lays out a superclass's fields before a subclass's and keeps each class's fields
 * together, so the value sits between eight longs of the class above it and eight of the class
 * below it: whatever its address, no other field written by another thread lies within 64 bytes
 * of it. The padding fields are never read or written.
 */

/** Padding before a {@link Cursor}'s value. */
abstract class CursorPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The value of a {@link Cursor}, between two pads. */
abstract class CursorValue extends CursorPadBefore {
    static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(CursorValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Accessed only through the methods of {@link Cursor}, each naming its memory mode. */
    long value;
}

/**
 * A sequence bound on its own cache line: the first sequence its one writer has not yet passed
 * (published, for the producer's cursor). Only one thread ever writes a cursor; any thread may
 * read it. Method prefixes say the memory mode, JCTools style: {@code lp} plain load, {@code la}
 * acquire load, {@code lv} volatile load, {@code so} ordered (release) store, {@code sv} volatile
 * store. Values only grow.
 */
final class Cursor extends CursorValue {
    long p10, p11, p12, p13, p14, p15, p16, p17;

    /** Plain load: only for the writer itself (it always sees its own last store). */
    long lpValue() {
        return value;
    }

    /** Acquire load: everything the writer did before its release store is visible after it. */
    long laValue() {
        return (long) VALUE.getAcquire(this);
    }

    /** Volatile load: in the single total order of volatile accesses (the wake-up's re-check). */
    long lvValue() {
        return (long) VALUE.getVolatile(this);
    }

    /** Ordered (release) store, a lazySet: the writer's earlier reads and writes happen-before any acquire load that sees it. */
    void soValue(long v) {
        VALUE.setRelease(this, v);
    }

    /** Volatile store: release, and ordered before the writer's next volatile load (StoreLoad), for the wake-up's Dekker pair. */
    void svValue(long v) {
        VALUE.setVolatile(this, v);
    }
}
