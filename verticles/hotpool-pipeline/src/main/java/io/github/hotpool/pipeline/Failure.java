package io.github.hotpool.pipeline;

/** Why a batch failed; each failed batch is counted under exactly one cause. Immutable enum. */
public enum Failure {
    /** A stage threw while working on it. */
    EXCEPTION,
    /** A stage held it past the stage timeout. */
    TIMEOUT,
    /** It was not taken by the next stage within the stage timeout (no handler, undeployed, stuck queue). */
    LOST,
    /** The pipeline was undeployed while it was in flight. */
    UNDEPLOYED,
    /** The receipt store could not make its receipts durable (disk full, not writable). */
    STORE
}
