package io.github.hotpool.core;

/**
 * Raised when a closed pool is asked for a buffer or receipt.
 */
public final class PoolClosedException extends PoolException {

    private static final long serialVersionUID = 1L;

    PoolClosedException(String message) {
        super(message);
    }
}
