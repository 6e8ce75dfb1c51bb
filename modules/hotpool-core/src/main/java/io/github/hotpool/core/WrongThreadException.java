package io.github.hotpool.core;

/**
 * Raised when an owner-thread-only operation (acquire, reset, clear) runs on another thread.
 */
public final class WrongThreadException extends PoolException {

    private static final long serialVersionUID = 1L;

    WrongThreadException(String message) {
        super(message);
    }
}
