/**
 * The RDF kernel without Vert.x: a streaming RDF 1.2 N-Triples parser that turns terms into 64-bit ids,
 * the predicate-run loader, hook kernels writing pooled receipts, and the lockchain.
 *
 * <pre>
 *  bytes ──► NTriplesParser ──► TripleSink (Batcher) ──► TripleBatch ──► Loader.loadInto ──► SoaBuffer
 *                 │                                                                         │
 *                 ├─► TermTable (id → text, bounded)          HookKernels.eval / construct8 ◄┘
 *                 └─► CanonicalLineSink (RDF 1.2 canonical N-Triples lines)
 *                                                                      │
 *                                                      Receipt (pool) ──► Lockchain ──► CycleSeal
 * </pre>
 *
 * <p>{@link io.github.hotpool.triples.ParallelNTriples} runs parsers over a file's blocks on
 * several threads (check or canonicalize), one per block, and orders their results.
 *
 * <p>Threading: parser, batcher, loader, kernels and lockchain are single-owner objects or
 * stateless functions; none of them allocates in steady state. {@link
 * io.github.hotpool.triples.TermTable} is the one type read from other threads.
 */
package io.github.hotpool.triples;
