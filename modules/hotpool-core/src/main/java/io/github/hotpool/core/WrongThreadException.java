package io.github.hotpool.core;

/**
 * Raised when an owner-thread-only operation (acquire, reset, clear, park, capacity maintenance)
 * runs on a thread other than the pool's owner. Integrations (the Vert.x binding) raise it too,
 * so that one type means "wrong thread" across the library.
 */
public final class WrongThreadException extends PoolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message names the operation, the calling thread and the owner thread
     */
    public WrongThreadException(String message) {
        super(message);
    }
}
