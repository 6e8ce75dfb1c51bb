package io.github.hotpool.vertx;

/**
 * How closely a {@link ContextPool} watches for SoA buffers held too long, graded like Netty's
 * leak detector. Immutable enum; thread-safe.
 */
public enum LeakLevel {
    /** No tracking at all. */
    OFF,
    /**
     * Acquire time per slot (a {@code long} store, no allocation); a buffer held longer than the
     * threshold is reported once, without the acquisition site (default).
     */
    SIMPLE,
    /**
     * Like {@link #SIMPLE}, plus the acquisition site (a stack trace captured on every acquire:
     * allocates, for debugging only) in leak reports and in the report written when the pool closes.
     */
    PARANOID
}
