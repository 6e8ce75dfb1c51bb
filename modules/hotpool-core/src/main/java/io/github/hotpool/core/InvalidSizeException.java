package io.github.hotpool.core;

/**
 * Raised when a buffer is asked for with a size outside {@code [1, MAX_RUN_LEN]}.
 */
public final class InvalidSizeException extends PoolException {

    private static final long serialVersionUID = 1L;

    InvalidSizeException(String message) {
        super(message);
    }
}
