package io.github.hotpool.core;

/**
 * Raised when a handle is used or released under a generation that is no longer its current lease.
 */
public final class StaleHandleException extends PoolException {

    private static final long serialVersionUID = 1L;

    StaleHandleException(String message) {
        super(message);
    }
}
