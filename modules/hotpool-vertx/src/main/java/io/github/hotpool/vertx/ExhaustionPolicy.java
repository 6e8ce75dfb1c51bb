package io.github.hotpool.vertx;

/**
 * What {@link ContextPool#acquireAsync(int)} does when every SoA buffer of the pool is in use.
 * Immutable enum; thread-safe.
 */
public enum ExhaustionPolicy {
    /** Fail at once with the core pool's exhaustion error (default): back-pressure is the caller's job. */
    FAIL,
    /**
     * Queue the request in a bounded FIFO ({@link HotpoolOptions#getMaxWaitQueueSize()}); requests are
     * served in arrival order as buffers come back, or fail after {@link HotpoolOptions#getWaitTimeoutMillis()}.
     */
    WAIT
}
