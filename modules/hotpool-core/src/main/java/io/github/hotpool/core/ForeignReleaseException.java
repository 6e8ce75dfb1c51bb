package io.github.hotpool.core;

/**
 * Raised when a handle is released into a pool that does not own it; both pools are left unchanged.
 */
public final class ForeignReleaseException extends PoolException {

    private static final long serialVersionUID = 1L;

    ForeignReleaseException(String message) {
        super(message);
    }
}
