package io.github.hotpool.core;

/**
 * Raised when every SoA buffer (or receipt) of a pool is in use; the pool never grows.
 *
 * <p>One instance per pool and kind is created with the pool and thrown again each time, without
 * a stack trace, so that the failure path allocates nothing either; its message names the pool
 * and its capacity. Use {@code tryAcquire} where exhaustion is an expected outcome.
 */
public final class PoolExhaustedException extends PoolException {

    private static final long serialVersionUID = 1L;

    PoolExhaustedException(String message) {
        super(message, false);
    }
}
