package io.github.hotpool.pipeline;

/** What the Transform stage does with a line that is not valid N-Triples. Immutable enum; thread-safe. */
public enum BadLinePolicy {
    /** Drop the line, report it with line, column and reason, and go on. */
    SKIP,
    /** Report the line and fail the stream it came from; batches already in flight still finish. */
    FAIL
}
