package io.github.hotpool.vertx;

import io.vertx.core.VertxException;

/**
 * A SoA handle frame from the wire was malformed or could not be materialised (no pool on the
 * decoding thread, pool exhausted); the message names the field, the value and the limit. Nothing
 * is leased when it is thrown. Immutable; thread-safe.
 */
public final class HandleDecodeException extends VertxException {

    private static final long serialVersionUID = 1L;

    HandleDecodeException(String message) {
        super(message, true);
    }
}
