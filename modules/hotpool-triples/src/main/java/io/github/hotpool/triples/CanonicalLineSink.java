package io.github.hotpool.triples;

/**
 * Receives each parsed triple as one line of RDF 1.2 canonical N-Triples: the canonical forms of
 * subject, predicate and object, single spaces, {@code " .\n"}.
 *
 * <p>Called on the parser's thread, in input order, right after the triple's ids went to the
 * {@link TripleSink}. The bytes are the parser's own and valid only during the call: copy them,
 * do not keep the array. Implementations on the hot path must not allocate.
 */
@FunctionalInterface
public interface CanonicalLineSink {

    /** One canonical line, {@code b[off, off + len)}, ending with {@code '\n'}. */
    void line(byte[] b, int off, int len);
}
