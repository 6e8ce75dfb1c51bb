package io.github.hotpool.core;

/**
 * Told about every SoA buffer that comes back to a pool, on the thread that released it. An
 * integration uses it to serve its own waiters or wake its owner thread when a buffer is released
 * behind its back (for example by {@link SoaBuffer#close()} on another event loop).
 *
 * <p>Implementations run on the release path: they must be thread-safe, quick, must not throw
 * and must not allocate if the pool's zero-allocation guarantee is to hold.
 */
@FunctionalInterface
public interface ReleaseListener {

    /**
     * Called after the buffer's slot is free again.
     *
     * @param pool the pool the buffer came home to
     * @param onOwnerThread true when released on the pool's owner thread (the slot is on the
     *     owner's stack already); false when it travels through the return ring
     */
    void released(BufferPool pool, boolean onOwnerThread);
}
