package io.github.hotpool.triples;

import java.nio.charset.StandardCharsets;

/**
 * Term ids for single N-Triples terms given as text, for configuration and tools (cold path:
 * allocates). Thread-safe.
 *
 * <p>Gives exactly the id that {@link NTriplesParser} gives the same term inside a triple.
 */
public final class TermIds {

    private TermIds() {
    }

    /**
     * The id of one N-Triples term, e.g. {@code <http://ex/a>}, {@code _:b1}, {@code "chat"@fr}
     * or {@code "1"^^<http://www.w3.org/2001/XMLSchema#integer>}.
     *
     * @throws NTriplesException (line 1, column in bytes) when the text is not exactly one term
     */
    public static long of(String term) {
        byte[] b = term.getBytes(StandardCharsets.UTF_8);
        return new StatementScanner(Math.max(16, b.length)).scanTerm(b, b.length);
    }

    /** The canonical N-Triples text of one term, as hashed into its id (see docs/ntriples.md). */
    public static String canonical(String term) {
        byte[] b = term.getBytes(StandardCharsets.UTF_8);
        StatementScanner sc = new StatementScanner(Math.max(16, b.length));
        sc.scanTerm(b, b.length);
        return new String(sc.canon, 0, sc.canonLen, StandardCharsets.UTF_8);
    }
}
