package io.github.hotpool.core;

/**
 * Base of every error a Hotpool pool raises; the message names the pool, the value and the limit.
 */
public class PoolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming value and limit
     */
    public PoolException(String message) {
        super(message);
    }

    /**
     * Stackless variant for errors pre-allocated on the cold path (see {@link PoolExhaustedException}).
     *
     * @param message what went wrong
     * @param writableStackTrace whether to record the stack
     */
    protected PoolException(String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
    }
}
