package io.github.hotpool.core;

/**
 * How a {@link BufferPool} sizes its SoA buffers: fixed at construction (the default), or adaptive
 * between {@link PoolOptions#getSoaBuffers()} and {@link PoolOptions#getMaxSoaBuffers()}, in whole
 * segments of {@link PoolOptions#getGrowthStep()} buffers. Adaptive pools change size only in
 * {@link BufferPool#maintain(long)}, {@link BufferPool#grow()} and {@link BufferPool#shrink()},
 * on the owner thread, never inside an acquire; they shrink after {@link
 * PoolOptions#getIdleMillis()} in which the last segment's worth of buffers was not needed.
 */
public enum CapacityPolicy {
    /** One slab, sized at construction; the pool never grows or shrinks. */
    FIXED,
    /** Grows one segment per maintenance step in which an acquire found every buffer in use. */
    GROW_ON_EXHAUSTION,
    /**
     * Grows one segment per maintenance step in which an acquire found every buffer in use, or
     * the most buffers in use at once reached {@link PoolOptions#getGrowAtPercent()} of the
     * capacity: grows before the first failure, at the price of reserving more.
     */
    GROW_ON_HIGH_WATER
}
