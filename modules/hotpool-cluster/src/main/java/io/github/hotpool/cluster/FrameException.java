package io.github.hotpool.cluster;

/** A unit's frame from the network is malformed; the message names the field, its value and the limit. */
public final class FrameException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, where */
    public FrameException(String message) {
        super(message);
    }
}
