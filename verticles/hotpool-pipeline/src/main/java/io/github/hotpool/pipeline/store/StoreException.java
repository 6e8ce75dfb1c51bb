package io.github.hotpool.pipeline.store;

import java.io.IOException;

/**
 * The receipt store cannot open, recover or write its directory; the message names the file, the
 * line or offset where known, what is wrong and what to do. Thrown on cold paths only.
 */
public class StoreException extends IOException {

    private static final long serialVersionUID = 1L;

    /** A store error with its full message. */
    public StoreException(String message) {
        super(message);
    }

    /** A store error caused by {@code cause}. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
