package io.github.hotpool.triples;

/**
 * Bad N-Triples input: names the line, the column (in bytes, from 1) and the reason.
 *
 * <p>Immutable, so safe to share between threads. Created only on the error path.
 */
public final class NTriplesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long line;
    private final int column;
    private final String reason;

    /** Creates an error at {@code line}, {@code column} (both from 1). */
    public NTriplesException(long line, int column, String reason) {
        // no stack trace: the position in the input is what locates the fault, not the parser frame
        super("line " + line + ", column " + column + ": " + reason, null, false, false);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** Line number, from 1 (a CRLF pair ends one line). */
    public long line() {
        return line;
    }

    /** Byte column within the line, from 1. */
    public int column() {
        return column;
    }

    /** The reason without position, e.g. {@code "unterminated IRI"}. */
    public String reason() {
        return reason;
    }
}
