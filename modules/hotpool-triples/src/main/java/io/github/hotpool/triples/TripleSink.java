package io.github.hotpool.triples;

/**
 * Receives the term ids of each parsed triple, in input order.
 *
 * <p>Called on the parser's thread; implementations on the hot path must not allocate.
 */
@FunctionalInterface
public interface TripleSink {

    /** Accepts one triple: subject, predicate and object ids (never 0). */
    void accept(long s, long p, long o);
}
