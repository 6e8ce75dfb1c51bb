package io.github.hotpool.triples;

/** A hook configuration that cannot be used; the message names the hook and the field. Immutable. */
public final class HookConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Creates the error with its full message. */
    public HookConfigException(String message) {
        super(message);
    }
}
