package io.github.hotpool.core;

/**
 * Raised when a handle is released a second time; the pool is left unchanged.
 */
public final class DoubleReleaseException extends PoolException {

    private static final long serialVersionUID = 1L;

    DoubleReleaseException(String message) {
        super(message);
    }
}
