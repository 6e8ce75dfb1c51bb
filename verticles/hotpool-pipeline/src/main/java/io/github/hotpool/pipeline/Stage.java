package io.github.hotpool.pipeline;

/** The five stages, in pipeline order; the ordinal is the stage number in the ledger. Immutable enum. */
public enum Stage {
    INGEST, TRANSFORM, LOAD, REFLEX, EMIT;

    /** @return the stage after this one, or null after Emit */
    Stage next() {
        return this == EMIT ? null : values()[ordinal() + 1];
    }
}
