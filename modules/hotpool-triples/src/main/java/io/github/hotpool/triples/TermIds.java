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
        byte[] b = utf8(term);
        return new StatementScanner(Math.max(16, b.length)).scanTerm(b, b.length);
    }

    /** The canonical N-Triples text of one term, as hashed into its id (see docs/ntriples.md). */
    public static String canonical(String term) {
        byte[] b = utf8(term);
        StatementScanner sc = new StatementScanner(Math.max(16, b.length));
        sc.scanTerm(b, b.length);
        return new String(sc.canon, 0, sc.canonLen, StandardCharsets.UTF_8);
    }

    /** UTF-8 bytes of {@code term}; String.getBytes would silently turn a lone surrogate into '?'. */
    private static byte[] utf8(String term) {
        for (int i = 0; i < term.length(); i++) {
            char ch = term.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < term.length() && Character.isLowSurrogate(term.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                throw new NTriplesException(1, term.substring(0, i).getBytes(StandardCharsets.UTF_8).length + 1,
                        String.format("unpaired surrogate U+%04X (a term must be valid Unicode)", (int) ch));
            }
        }
        return term.getBytes(StandardCharsets.UTF_8);
    }
}
